import DigitsCommands

DigitsCommand.main()
