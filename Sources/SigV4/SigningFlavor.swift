/// The two ways AWS services canonicalize a request.
public enum SigningFlavor: Sendable, Equatable {
    /// Every service but S3: the path is normalized (RFC 3986 dot segments, repeated
    /// slashes) and its wire form is URI-encoded again ("double encoding").
    case standard
    /// S3: the path is neither normalized nor double-encoded (each segment is decoded and
    /// encoded once), and the payload hash travels in a signed `x-amz-content-sha256` header.
    case s3
}
