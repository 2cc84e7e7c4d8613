// swift-tools-version:5.9
// LayananKit: the Swift side of Layanan. `Layanan` holds the UniFFI-generated
// bindings (bindings/generate.sh writes them), `LayananKit` the platform adapters and
// the presentation layer the SwiftUI app uses. On Linux the tests link the host-built
// liblayanan.so (pass -Xlinker -L<dir>); the iOS app links the XCFramework instead.
import PackageDescription

let package = Package(
    name: "LayananKit",
    // iOS 17 / macOS 14: the presentation models are `@Observable` (Observation).
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "LayananKit", targets: ["LayananKit"]),
    ],
    targets: [
        .systemLibrary(name: "LayananFFI", path: "Sources/LayananFFI/include"),
        .target(
            name: "Layanan",
            dependencies: ["LayananFFI"],
            path: "Sources/Layanan",
            linkerSettings: [.linkedLibrary("layanan")]
        ),
        .target(name: "LayananKit", dependencies: ["Layanan"], path: "Sources/LayananKit"),
        .testTarget(
            name: "LayananKitTests",
            dependencies: ["LayananKit", "Layanan"],
            path: "Tests/LayananKitTests"
        ),
    ]
)
