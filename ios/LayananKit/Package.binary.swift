// swift-tools-version:5.9
// The LayananKit package as apps consume it: ios/scripts/build-xcframework.sh copies
// this file to ios/build/LayananKit-dist/Package.swift next to the XCFramework it
// builds (device and simulator slices of the static liblayanan with its C header and
// module map) and the Swift sources. The development Package.swift links the host's
// liblayanan instead, for `swift test` on Linux.
import PackageDescription

let package = Package(
    name: "LayananKit",
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "LayananKit", targets: ["LayananKit"]),
    ],
    targets: [
        .binaryTarget(name: "LayananFFI", path: "LayananFFI.xcframework"),
        .target(name: "Layanan", dependencies: ["LayananFFI"], path: "Sources/Layanan"),
        .target(name: "LayananKit", dependencies: ["Layanan"], path: "Sources/LayananKit"),
    ]
)
