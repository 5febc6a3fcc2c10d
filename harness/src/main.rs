fn main() -> std::process::ExitCode {
    imapgate::cli::main()
}
