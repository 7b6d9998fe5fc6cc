#if canImport(Glibc)
import Glibc
import RollSenseSystem
#endif

/// Where rollsense keeps its data: the XDG Base Directory rule with rollsense's own overrides.
public enum DataDirectory {
    /// Environment variable naming the data directory, above the XDG default.
    public static let environmentVariable = "ROLLSENSE_DATA_DIR"

    /// The data directory: `flag` (the CLI's `--data-dir`), else `$ROLLSENSE_DATA_DIR`, else
    /// `$XDG_DATA_HOME/rollsense`, else `$HOME/.local/share/rollsense`. Empty values count as unset,
    /// and a relative `XDG_DATA_HOME` is ignored, as the XDG Base Directory specification says.
    public static func resolve(flag: String?, environment: [String: String]) throws(HistoryError) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let own = environment[environmentVariable], !own.isEmpty { return own }
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/rollsense" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.local/share/rollsense" }
        throw .noDataDirectory
    }

    /// Creates `path` and its missing parents, new ones readable only by the user (the XDG
    /// specification asks for 0700).
    public static func create(_ path: String) throws(HistoryError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw .cannotCreateDirectory(path: path, errno: Errno(errno))
            }
        }
        var status = stat()
        if stat(path, &status) != 0 || (status.st_mode & S_IFMT) != S_IFDIR {
            throw .cannotCreateDirectory(path: path, errno: Errno(ENOTDIR))
        }
    }
}
