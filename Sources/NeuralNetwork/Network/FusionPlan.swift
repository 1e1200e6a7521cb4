// FusionPlan.swift — which layers of a network run fused: a convolution followed by a ReLU (and a 2×2 max
// pooling) applies them itself while its outputs are still in cache, and takes their gradients back itself.
//
// The plan is made once, from the layer list, when a `Network` is built; `forward` and `backward` follow it
// step by step. Fused or not, the results are the same bits as running the layers one after the other
// (tests compare the two).

/// What a convolution inside a `Network` does to its outputs itself, in place of the layers that follow it.
enum ConvolutionOutputStage {
    /// y, as the layer alone.
    case linear
    /// max(y, 0): the following ReLU, applied while each output row is in cache.
    case rectified
    /// max(y, 0) max-pooled over 2×2 windows with stride 2: the following ReLU and `MaxPool2D`, done on each
    /// Winograd output tile (needs `canPoolOutputs`). The outputs are [O, H′/2, W′/2].
    case rectifiedAndPooled
}

/// What `Network` does at each layer.
enum FusionStep {
    /// The layer runs on its own.
    case alone
    /// A convolution that also applies the layers after it (`stage` says which).
    case fused(Convolution2D, ConvolutionOutputStage)
    /// A layer that the convolution before it has already applied.
    case skipped
}

/// The steps of a network, one per layer.
struct FusionPlan {
    let steps: [FusionStep]

    /// Fuses every convolution followed by a ReLU, and by a 2×2 stride-2 max pooling after that when the
    /// convolution can pool its own output tiles (`canPoolOutputs`).
    init(layers: [Layer]) {
        var steps = [FusionStep](repeating: .alone, count: layers.count)
        for index in layers.indices {
            guard case .alone = steps[index], let convolution = layers[index] as? Convolution2D,
                  index + 1 < layers.count, layers[index + 1] is ReLU else { continue }
            if index + 2 < layers.count, let pooling = layers[index + 2] as? MaxPool2D, pooling.windowSize == 2, pooling.stride == 2,
               convolution.canPoolOutputs {
                steps[index] = .fused(convolution, .rectifiedAndPooled)
                steps[index + 2] = .skipped
            } else {
                steps[index] = .fused(convolution, .rectified)
            }
            steps[index + 1] = .skipped
        }
        self.steps = steps
    }
}
