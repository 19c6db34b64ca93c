import AWS
import Foundation
import SigV4
import SSH

/// ncaas's SSH key: made locally once (`~/.ncaas/keys/ncaas_ed25519`, mode 0600) and registered
/// with EC2 under a name derived from its fingerprint, so one name always means one key.
public enum DevKeys {
    /// The key pair, generated when missing.
    public static func local(_ home: NCAASHome) throws -> SSHKeyPair {
        if FileManager.default.fileExists(atPath: home.privateKey) {
            return try SSHKeyPair.load(privateKeyPath: home.privateKey)
        }
        return try SSHKeyPair.generate(at: home.privateKey, comment: "ncaas")
    }

    /// The EC2 key pair name for `keyPair`: `ncaas-` and 12 hex digits of its public key's SHA-256.
    public static func keyName(for keyPair: SSHKeyPair) -> String {
        let key = keyPair.publicKeyLine.split(separator: " ").prefix(2).joined(separator: " ")
        return "ncaas-" + SHA256Hex.hash(key).prefix(12)
    }

    /// Makes sure EC2 knows the key under its name (ImportKeyPair when it does not). Returns the name.
    @discardableResult
    public static func register(_ keyPair: SSHKeyPair, on ec2: EC2Client) throws -> String {
        let name = keyName(for: keyPair)
        do {
            if try !ec2.describeKeyPairs(keyNames: [name]).isEmpty { return name }
        } catch let error as AWSError where error.code == "InvalidKeyPair.NotFound" {}
        do {
            _ = try ec2.importKeyPair(keyName: name, publicKey: keyPair.publicKeyLine, tagSpecifications: [
                TagSpecification(resourceType: "key-pair", tags: [Tag(key: InstanceTags.name, value: name)]),
            ])
        } catch let error as AWSError where error.code == "InvalidKeyPair.Duplicate" {
            // Registered by another ncaas in the meantime: the same name is the same key.
        }
        return name
    }
}
