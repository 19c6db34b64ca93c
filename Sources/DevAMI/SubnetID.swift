import Blueprint
import Foundation

/// A subnet id as EC2 spells it, checked before any call so a typo is refused with where it came
/// from named, instead of EC2's `InvalidSubnetID.Malformed`.
public enum SubnetID {
    /// `value` when it is a subnet id; else a bad-input error naming `source` (`--subnet`).
    public static func checked(_ value: String?, source: String) throws -> String? {
        guard let value else { return nil }
        guard NCAASSettings.isSubnetID(value) else {
            throw DevError(.badInput, "\(source) '\(value)' is not a subnet id (subnet- and 8 or 17 hexadecimal digits); `aws ec2 describe-subnets --query 'Subnets[].[SubnetId,VpcId,AvailabilityZone]'` lists this region's.")
        }
        return value
    }
}
