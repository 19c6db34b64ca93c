/// The version printed by `ncaas --version`.
public enum NCAASVersion {
    public static let current = "0.1.0"
}
