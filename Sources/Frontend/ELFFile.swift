import Foundation

/// What ncaas needs to know of an ELF executable (64-bit, little-endian): its machine and the shared
/// libraries it names (`DT_NEEDED`), read from its section headers.
struct ELFFile {
    let machine: UInt16
    let neededLibraries: [String]

    /// nil when `data` is not a 64-bit little-endian ELF file.
    init?(_ data: Data) {
        guard data.count > 64, data.prefix(4) == Data([0x7f, 0x45, 0x4c, 0x46]), data[4] == 2, data[5] == 1 else { return nil }
        func integer<T: FixedWidthInteger>(_ offset: Int, _: T.Type) -> T? {
            guard offset >= 0, offset + MemoryLayout<T>.size <= data.count else { return nil }
            var value: T = 0
            for index in 0..<MemoryLayout<T>.size { value |= T(data[data.startIndex + offset + index]) << (8 * index) }
            return value
        }
        guard let machine = integer(18, UInt16.self), let sections = integer(0x28, UInt64.self),
              let entrySize = integer(0x3A, UInt16.self), let count = integer(0x3C, UInt16.self) else { return nil }
        self.machine = machine
        var needed: [String] = []
        for index in 0..<Int(count) {
            let header = Int(sections) + index * Int(entrySize)
            // SHT_DYNAMIC: 64-bit entries (tag, value); sh_link names the string table.
            guard integer(header + 4, UInt32.self) == 6, let offset = integer(header + 0x18, UInt64.self),
                  let size = integer(header + 0x20, UInt64.self), let link = integer(header + 0x28, UInt32.self),
                  let strings = integer(Int(sections) + Int(link) * Int(entrySize) + 0x18, UInt64.self) else { continue }
            var entry = Int(offset)
            while entry + 16 <= Int(offset + size), let tag = integer(entry, UInt64.self), tag != 0 {
                if tag == 1, let value = integer(entry + 8, UInt64.self) {
                    let start = Int(strings + value)
                    if start < data.count, let end = data[(data.startIndex + start)...].firstIndex(of: 0) {
                        needed.append(String(decoding: data[(data.startIndex + start)..<end], as: UTF8.self))
                    }
                }
                entry += 16
            }
        }
        neededLibraries = needed
    }
}
