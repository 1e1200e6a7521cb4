// Retraining.swift — the studio's retraining job: load MNIST, fine-tune a copy of the current model on the
// saved samples (`FineTuning`), and save it as a new version, accepted or kept aside by the MNIST gate.

import Foundation
import NeuralNetwork

enum Retraining {
    /// The retraining: load MNIST, fine-tune a copy of the current model, save it as a new version.
    static func run(studio: Studio, samples: LabeledImages, settings: FineTuningSettings) async throws -> JobResult? {
        let jobs = studio.jobs
        jobs.publish(.phase("loading MNIST"))
        let mnist = try await runOnOwnThread { try studio.mnist() }
        let parent = studio.models.current
        let network = parent.makeNetwork()
        let settings = settings.forModel(rule: parent.notADigitRule)
        let start = Date()
        let run = try await runOnOwnThread {
            FineTuning.run(
                network: network, samples: samples, mnist: mnist, settings: settings,
                clock: { Date().timeIntervalSince(start) }, shouldStop: { jobs.cancelRequested },
                onPhase: { jobs.publish(.phase($0)) }, onProgress: { jobs.publish(.progress($0)) })
        }
        guard let run else { return nil }
        var result = run.result
        jobs.publish(.phase("saving"))
        let version = try await studio.models.addVersion(
            network, accepted: result.accepted, mnistAccuracy: result.mnistAfter,
            samplesAccuracy: result.samplesAfter, note: result.reason,
            history: run.history, stepHistory: run.stepHistory, retrainedFrom: parent.version, steps: settings.steps,
            notADigitRule: parent.notADigitRule)
        result.version = version.name
        return .fineTuning(result)
    }
}
