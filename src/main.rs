//! The `broadsheet` command; all the work is in the library.

/// mimalloc: many threads allocating and freeing small strings and template
/// values; measured faster and leaner than the system allocator here.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    broadsheet::cli::main()
}
