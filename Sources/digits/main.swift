import DigitsCommands

await DigitsCommand.main()
