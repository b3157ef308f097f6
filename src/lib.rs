//! # broadsheet
//!
//! A static site generator for news archives. A folder of Markdown articles
//! with YAML front matter becomes a folder of HTML pages that any static
//! host serves as is.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`config`] reads `config.yaml`; [`source`] knows the site folder's
//!    layout and lists its files;
//! 2. [`content`] walks `content/` and reads each article's front matter
//!    ([`content::front_matter`], [`content::date`], [`content::slug`]);
//!    [`assets`] lists the static files;
//! 3. [`site`] selects the published articles, gives them URLs and sorts them,
//!    and plans every listing page;
//! 4. [`markdown`] and [`render`] turn bodies and metadata into pages;
//! 5. [`feeds`] and [`sitemap`] make the files for feed readers and search
//!    engines, and [`search`] the index the site's own search page queries;
//! 6. [`output`] writes into a staging folder and swaps it in, or updates a
//!    served folder in place;
//! 7. [`project`] holds a loaded site and writes it, and rebuilds only what
//!    changed; [`links`] checks every link of every body against what is
//!    written.
//!
//! The commands: [`build`](mod@build), [`check`], [`serve`], and for editors [`new`],
//! [`init`], [`eject`] and [`list`]; [`cli`] is the command line, which talks
//! through [`terminal`] and shows [`progress`].
//!
//! ```no_run
//! let options = broadsheet::build::BuildOptions {
//!     site_dir: "my-site".into(),
//!     ..Default::default()
//! };
//! let report = broadsheet::build::build(&options).expect("build failed");
//! println!("{} articles", report.articles_written);
//! ```

#![warn(missing_docs)]

pub mod assets;
pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod eject;
pub mod escape;
pub mod feeds;
pub mod hash;
pub mod i18n;
pub mod images;
pub mod init;
pub mod links;
pub mod list;
pub mod markdown;
pub mod new;
pub mod output;
pub mod progress;
pub mod project;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod sitemap;
pub mod source;
pub mod terminal;
pub mod timings;

pub use build::{BuildOptions, BuildReport, build};
