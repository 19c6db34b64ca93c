import AWS
import Blueprint
import Support

/// Whether a blueprint's AMI exists where jobs will run, checked before a job needs it (`blueprint
/// validate --cloud`, `deploy`): a NeuroCAAS blueprint names an AMI of the account and region that
/// made it, which nobody else can launch.
public enum ImageCheck {
    /// nil when `reference` (an AMI id or an alias) names an available image on `ec2`'s endpoint and
    /// region; else one sentence, starting with `reference`, naming the aliases and `ncaas image build`.
    public static func problem(_ reference: String, analysis: String, ec2: EC2Client) -> String? {
        let remedy = "build the analysis's image with `ncaas image build \(AnalysisHint.name(analysis))` (it writes the new AMI into the blueprint), "
            + "or name an alias (\(MachineImage.aliases.joined(separator: ", ")))"
        let region = ec2.client.region
        guard MachineImage.isAMIID(reference) else {
            do {
                _ = try ImageReference.resolve(reference, on: ec2)
                return nil
            } catch {
                return "\(reference) does not resolve to an image in \(region): \(error)"
            }
        }
        let images: [Image]
        do {
            images = try ec2.describeImages(imageIds: [reference])
        } catch let error as AWSError where error.code.hasPrefix("InvalidAMIID") {
            images = []
        } catch {
            return "\(reference) could not be checked in \(region): \(error)"
        }
        guard let image = images.first else {
            return "\(reference) does not exist in \(region) (EC2 DescribeImages knows no such image; an AMI belongs to the account and region that made it): \(remedy)."
        }
        guard image.state == "available" else {
            return "\(reference) is \(image.state) in \(region), not available: wait for it, or \(remedy)."
        }
        return nil
    }
}
