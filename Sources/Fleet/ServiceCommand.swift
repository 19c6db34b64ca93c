import Foundation
import Support

/// The command a seat runs as its service, with `{port}`, `{password}` and `{host}` substituted
/// (each shell-quoted), started detached so that it outlives the SSH session.
public enum ServiceCommand {
    /// Jupyter on the seat's port with the seat's token.
    public static let jupyter = "jupyter lab --no-browser --ip={host} --port={port} --ServerApp.token={password} --ServerApp.root_dir=$HOME"

    /// The template with its placeholders replaced by shell-quoted values.
    public static func substitute(_ template: String, port: Int, password: String, host: String) -> String {
        template
            .replacingOccurrences(of: "{port}", with: ShellQuoting.quote(String(port)))
            .replacingOccurrences(of: "{password}", with: ShellQuoting.quote(password))
            .replacingOccurrences(of: "{host}", with: ShellQuoting.quote(host))
    }

    /// A script that starts `command` detached (its own session, output to ~/ncaas-service.log).
    public static func detached(_ command: String) -> String {
        "nohup setsid sh -c \(ShellQuoting.quote(command)) > \"$HOME/ncaas-service.log\" 2>&1 < /dev/null &"
    }
}
