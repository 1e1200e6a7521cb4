// Golden numbers: recorded from a run and checked forever after, so a silent change to initialization,
// shuffling or arithmetic fails loudly. Re-record only for an intended change, and say why in the commit.

enum GoldenNumbers {
    /// Mean losses of the first four batches of `TrainingTests.goldenLosses`.
    static let firstLosses: [Double] = [2.4882071912288666, 2.2074249647557735, 2.235349116846919, 2.5724646118469536]
}
