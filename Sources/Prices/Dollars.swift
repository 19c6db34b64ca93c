import Foundation

/// How ncaas writes money: `$1.23`, and rates with enough digits to be read (`$0.0104/h`).
public enum Dollars {
    /// `$1.23` (whole cents; `$0.00` for less than half a cent).
    public static func text(_ amount: Double) -> String { String(format: "$%.2f", amount) }

    /// A rate: four decimals below a dollar (`$0.0104`), two above.
    public static func rate(_ amount: Double) -> String {
        amount < 1 ? String(format: "$%.4f", amount) : String(format: "$%.2f", amount)
    }

    /// A total that may hold unknown parts: `$1.23`, or `$1.23 + unknown` when some price was missing.
    public static func total(_ amount: Double, unknown: Bool) -> String {
        unknown ? text(amount) + " + unknown" : text(amount)
    }
}
