//! The `broadsheet` command; all the work is in the library.

fn main() -> std::process::ExitCode {
    broadsheet::cli::main()
}
