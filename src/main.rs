//! The `quorum` command line: parse, call the library, print, exit.

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use quorum::commands::{self, actions, Exit, Global, Report};
use quorum::diagnostics::Style;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

// mimalloc: quorum allocates and frees millions of small strings per build,
// and `serve` frees the last site on another thread (benches/README.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `quorum --version`: the version and the commit it was built from (build.rs).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("QUORUM_COMMIT"),
    ")"
);

#[derive(Parser)]
#[command(
    name = "quorum",
    version = VERSION,
    about = "A static-site generator for governance meeting notes"
)]
struct Cli {
    /// The site's root folder (holding quorum.toml and content/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    /// The date taken as today (YYYY-MM-DD), for reproducible results.
    #[arg(long, global = true, value_parser = parse_date)]
    today: Option<chrono::NaiveDate>,
    /// Read every note afresh, without the cache of parsed notes in .quorum-cache/.
    #[arg(long, global = true)]
    no_cache: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiagFormat {
    /// Snippets with a caret on a terminal, plain lines when piped.
    Auto,
    /// rustc-like snippets with a caret.
    Pretty,
    /// One line per problem: file:line:col: severity[code]: message.
    Plain,
    /// A JSON array on stdout.
    Json,
    /// GitHub Actions annotations on stdout.
    Github,
}

#[derive(Subcommand)]
enum Command {
    /// Check every note and report every problem, at file:line:col.
    Check {
        /// Make warnings fail the check too.
        #[arg(long)]
        deny_warnings: bool,
        /// How to print problems.
        #[arg(long, value_enum, default_value = "auto")]
        format: DiagFormat,
    },
    /// Show what quorum read from notes, line by line, and the action-like lines it did not take.
    Explain {
        /// Note files (relative to the site root, or to the current folder).
        #[arg(required = true)]
        files: Vec<String>,
        /// How to print.
        #[arg(long, value_enum, default_value = "text")]
        format: commands::explain::Format,
    },
    /// List action items: the chair's report.
    Actions {
        /// Only this group (key or name).
        #[arg(long)]
        group: Option<String>,
        /// Only this owner (name, alias or handle).
        #[arg(long)]
        owner: Option<String>,
        /// Which items.
        #[arg(long, value_enum, default_value = "open")]
        status: actions::StatusFilter,
        /// How to print them.
        #[arg(long, value_enum, default_value = "table")]
        format: actions::Format,
    },
    /// Render the site into a folder, replacing it only when the whole build succeeds.
    Build {
        /// Output folder (relative to the site root).
        #[arg(long, default_value = "public")]
        out: PathBuf,
        /// The URL the site is served at (overrides quorum.toml).
        #[arg(long)]
        base_url: Option<String>,
        /// Leave notes with errors out, publish the rest, and exit 0.
        #[arg(long)]
        keep_going: bool,
        /// Leave the search index and search box out.
        #[arg(long)]
        no_search: bool,
        /// Do not read the git history (no dates of change, authors or commit links).
        #[arg(long)]
        no_history: bool,
        /// Print every warning (without it, one line per kind of warning).
        #[arg(long, short)]
        verbose: bool,
    },
    /// Print a JSON Schema of the front matter, for editors.
    Schema,
    /// Make a new site in DIR (default: here) that builds as it is, with a GitHub Pages workflow.
    Init {
        /// The folder to make the site in; it must be empty or missing.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Write a group's next meeting note, with its open action items ready to update.
    New {
        /// The group: its key (folder name) or its name.
        group: String,
        /// The meeting's date (default: the group's cadence after its last meeting).
        #[arg(long, value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
    },
    /// Print a meeting's minutes for a mailing list (plain text at 72 columns, or markdown).
    Minutes {
        /// The meeting: a note's path, or a group and a date (`steering 2024-03-05`).
        #[arg(required = true, num_args = 1..=2)]
        meeting: Vec<String>,
        /// How to write them.
        #[arg(long, value_enum, default_value = "text")]
        format: quorum::minutes::MinutesFormat,
    },
    /// Give every action item without an `id` its automatic id, so refs cannot move.
    Ids {
        /// Write the ids into the notes (without it, only list them).
        #[arg(long)]
        write: bool,
    },
    /// Serve the site from memory on 127.0.0.1, rebuilding and reloading pages on every change.
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback serves the site to the network.
        #[arg(long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// Open the site in a browser.
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using the system's file events.
        #[arg(long)]
        poll: bool,
    },
    /// Split running-notes documents (many meetings under date headings) into one note per meeting.
    Import {
        /// The documents to split.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The group the meetings belong to (its key).
        #[arg(long)]
        group: String,
        /// Folder to write the notes into (default: the group's folder in the site).
        #[arg(long)]
        into: Option<PathBuf>,
    },
    /// Print a completion script for a shell (e.g. `quorum completions bash > ~/.local/share/bash-completion/completions/quorum`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`quorum man > quorum.1; man ./quorum.1`).
    Man,
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

fn style(f: DiagFormat) -> Style {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    match f {
        DiagFormat::Auto if std::io::stderr().is_terminal() => Style::Pretty { color },
        DiagFormat::Auto | DiagFormat::Plain => Style::Plain,
        DiagFormat::Pretty => Style::Pretty { color },
        DiagFormat::Json => Style::Json,
        DiagFormat::Github => Style::Github,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let g = Global {
        // The real folder: every check below is on where the files are.
        root: quorum::paths::real_path(&cli.root).unwrap_or(cli.root),
        today: cli
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive()),
        cache: !cli.no_cache,
    };
    let format = match cli.command {
        Command::Check { format, .. } => format,
        _ => DiagFormat::Auto,
    };
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    // Buffered: a report of thousands of lines is written in a few calls.
    let mut out = std::io::BufWriter::new(stdout.lock());
    // Not locked: `build`'s progress line draws on stderr from another thread.
    let mut err = std::io::BufWriter::new(stderr);
    let mut report = Report {
        out: &mut out,
        err: &mut err,
        style: style(format),
    };
    let result = run(cli.command, &g, &mut report);
    let _ = report.out.flush();
    match result {
        Ok(exit) => exit.into(),
        // A closed pipe (quorum actions | head) is success.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(report.err, "error: {e}");
            Exit::Usage.into()
        }
    }
}

/// Runs one command, printing through `r`.
fn run(command: Command, g: &Global, r: &mut Report) -> std::io::Result<Exit> {
    match command {
        Command::Check { deny_warnings, .. } => commands::check::run(g, deny_warnings, r),
        Command::Explain { files, format } => commands::explain::run(g, &files, format, r.out),
        Command::Actions {
            group,
            owner,
            status,
            format,
        } => {
            let filter = actions::Filter {
                group,
                owner,
                status,
            };
            actions::run(g, &filter, format, r)
        }
        Command::Build {
            out,
            base_url,
            keep_going,
            no_search,
            no_history,
            verbose,
        } => {
            let args = commands::build::BuildArgs {
                out,
                base_url,
                keep_going,
                no_search,
                no_history,
                verbose,
            };
            commands::build::run(g, &args, r)
        }
        Command::Init { dir } => commands::init::run(&dir, g.today, r),
        Command::New { group, date } => {
            commands::new::run(g, &commands::new::NewArgs { group, date }, r)
        }
        Command::Minutes { meeting, format } => {
            let args = commands::minutes::MinutesArgs { meeting, format };
            commands::minutes::run(g, &args, r)
        }
        Command::Ids { write } => commands::ids::run(g, write, r),
        Command::Serve {
            port,
            interface,
            open,
            poll,
        } => {
            let args = commands::serve::ServeArgs {
                port,
                interface,
                open,
                poll,
            };
            commands::serve::run(g, &args, r)
        }
        Command::Import { files, group, into } => {
            let args = commands::import::ImportArgs { files, group, into };
            commands::import::run(g, &args, r)
        }
        Command::Completions { shell } => {
            // Into memory first: clap_complete panics on a failed write.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "quorum", &mut script);
            r.out.write_all(&script).map(|()| Exit::Success)
        }
        Command::Man => clap_mangen::Man::new(Cli::command())
            .render(r.out)
            .map(|()| Exit::Success),
        Command::Schema => {
            serde_json::to_writer_pretty(&mut *r.out, &quorum::schema::front_matter_schema())
                .map_err(std::io::Error::from)
                .and_then(|_| writeln!(r.out))
                .map(|_| Exit::Success)
        }
    }
}
