// SampleExport.swift — saved samples as MNIST-style files: CSV, or IDX images and labels.

import DigitsFiles
import Foundation
import NeuralNetwork

/// Converts samples to the dataset formats `digits` reads (`digits train --data`, `data convert`).
public enum SampleExport {
    /// The samples as labelled 28×28 images, in the given order.
    public static func labeledImages(_ samples: [Sample]) -> LabeledImages {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(samples.count * 784)
        for sample in samples { pixels += [UInt8](sample.image) }
        return LabeledImages(pixels: pixels, labels: samples.map { UInt8($0.label) })
    }

    /// CSV with a header row, then `label,p0,...,p783` per sample.
    public static func csv(_ samples: [Sample]) -> [UInt8] {
        CSVDataset.encode(labeledImages(samples), header: true)
    }

    /// IDX images file (magic 0x00000803, shape [count, 28, 28]).
    public static func idxImages(_ samples: [Sample]) -> [UInt8] {
        let images = labeledImages(samples)
        return IDXFile.encode(IDXArray(shape: [images.count, 28, 28], bytes: images.pixels))
    }

    /// IDX labels file (magic 0x00000801, shape [count]).
    public static func idxLabels(_ samples: [Sample]) -> [UInt8] {
        IDXFile.encode(IDXArray(shape: [samples.count], bytes: samples.map { UInt8($0.label) }))
    }

    /// The names of the two IDX files inside the tar archive.
    public static let idxImagesName = "samples-images-idx3-ubyte"
    public static let idxLabelsName = "samples-labels-idx1-ubyte"

    /// A tar archive holding both IDX files.
    public static func idxArchive(_ samples: [Sample], modified: Date = Date()) -> [UInt8] {
        let time = Int(modified.timeIntervalSince1970)
        return TarArchive.encode([
            .init(name: idxImagesName, bytes: idxImages(samples), modified: time),
            .init(name: idxLabelsName, bytes: idxLabels(samples), modified: time),
        ])
    }
}
