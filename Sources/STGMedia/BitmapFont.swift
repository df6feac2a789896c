/// A 5 × 7 pixel bitmap font for ASCII 32–126 (letters, digits, punctuation), for captions on
/// panels, so no font files or system libraries are needed.
///
/// Each glyph is 7 rows, top first; each row is 5 bits, the high bit (16) being the leftmost pixel.
/// Glyphs advance by 6 pixels (one blank column) and are drawn at any integer scale. Characters
/// outside ASCII 32–126 draw as `?`. The shapes follow the classic HD44780 LCD character set.
public enum BitmapFont {
    public static let glyphWidth = 5
    public static let glyphHeight = 7
    /// Horizontal distance from one glyph to the next, at scale 1.
    public static let advance = 6

    /// 7 rows per glyph as 14 hex digits (two per row), ASCII 32 (space) to 126 (`~`).
    private static let table: [String] = [
        "00000000000000", "04040404000004", "0A0A0A00000000", "0A0A1F0A1F0A0A",  //   ! " #
        "040F140E051E04", "18190204081303", "0C12140815120D", "0C040800000000",  // $ % & '
        "02040808080402", "08040202020408", "0004150E150400", "0004041F040400",  // ( ) * +
        "000000000C0408", "0000001F000000", "00000000000C0C", "00010204081000",  // , - . /
        "0E11131519110E", "040C040404040E", "0E11010204081F", "1F02040201110E",  // 0 1 2 3
        "02060A121F0202", "1F101E0101110E", "0608101E11110E", "1F010204080808",  // 4 5 6 7
        "0E11110E11110E", "0E11110F01020C", "000C0C000C0C00", "000C0C000C0408",  // 8 9 : ;
        "02040810080402", "00001F001F0000", "08040201020408", "0E110102040004",  // < = > ?
        "0E11010D15150E", "0E1111111F1111", "1E11111E11111E", "0E11101010110E",  // @ A B C
        "1C12111111121C", "1F10101E10101F", "1F10101E101010", "0E11101711110F",  // D E F G
        "1111111F111111", "0E04040404040E", "0702020202120C", "11121418141211",  // H I J K
        "1010101010101F", "111B1515111111", "11111915131111", "0E11111111110E",  // L M N O
        "1E11111E101010", "0E11111115120D", "1E11111E141211", "0F10100E01011E",  // P Q R S
        "1F040404040404", "1111111111110E", "11111111110A04", "1111111515150A",  // T U V W
        "11110A040A1111", "1111110A040404", "1F01020408101F", "0E08080808080E",  // X Y Z [
        "00100804020100", "0E02020202020E", "040A1100000000", "0000000000001F",  // \ ] ^ _
        "08040200000000", "00000E010F110F", "1010161911111E", "00000E1010110E",  // ` a b c
        "01010D1311110F", "00000E111F100E", "0609081C080808", "000F11110F010E",  // d e f g
        "10101619111111", "04000C0404040E", "0200060202120C", "10101214181412",  // h i j k
        "0C04040404040E", "00001A15151111", "00001619111111", "00000E1111110E",  // l m n o
        "00001E111E1010", "00000D130F0101", "00001619101010", "00000E100E011E",  // p q r s
        "08081C08080906", "0000111111130D", "00001111110A04", "0000111115150A",  // t u v w
        "0000110A040A11", "000011110F010E", "00001F0204081F", "02040408040402",  // x y z {
        "04040404040404", "08040402040408", "00000815020000",  // | } ~
    ]

    private static let glyphs: [[UInt8]] = table.map { hex in
        var rows: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            rows.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        return rows
    }

    /// The 7 rows of `character`'s glyph (a `?` for characters the font lacks).
    public static func rows(_ character: Character) -> [UInt8] {
        guard let ascii = character.asciiValue, (32...126).contains(ascii) else { return glyphs[Int(("?" as Character).asciiValue! - 32)] }
        return glyphs[Int(ascii) - 32]
    }

    /// Width in pixels of `text` drawn at `scale` (no trailing blank column).
    public static func width(of text: String, scale: Int = 1) -> Int {
        text.isEmpty ? 0 : (text.count * advance - 1) * scale
    }

    /// `text` rendered at `scale` as a height × width grid of flags (true = ink), height
    /// `glyphHeight × scale`, width `width(of:scale:)`, row-major.
    public static func render(_ text: String, scale: Int = 1) -> (width: Int, height: Int, ink: [Bool]) {
        precondition(scale >= 1, "font scale must be at least 1, not \(scale)")
        let width = width(of: text, scale: scale)
        let height = glyphHeight * scale
        var ink = [Bool](repeating: false, count: width * height)
        for (index, character) in text.enumerated() {
            let glyph = rows(character)
            let left = index * advance * scale
            for row in 0..<glyphHeight {
                for column in 0..<glyphWidth where glyph[row] & (16 >> UInt8(column)) != 0 {
                    // One font pixel covers a scale × scale block.
                    for dy in 0..<scale {
                        for dx in 0..<scale {
                            ink[(row * scale + dy) * width + left + column * scale + dx] = true
                        }
                    }
                }
            }
        }
        return (width, height, ink)
    }
}
