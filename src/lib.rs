//! # broadsheet
//!
//! A static site generator for news archives. A folder of Markdown articles
//! with YAML front matter becomes a folder of HTML pages that any static
//! host serves as is.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`config`] reads `config.yaml`;
//! 2. [`content`] walks `content/` and reads each article's front matter
//!    ([`content::front_matter`], [`content::date`], [`content::slug`]);
//! 3. [`site`] selects the published articles, gives them URLs and sorts them;
//! 4. [`markdown`] and [`render`] turn bodies and metadata into pages;
//! 5. [`feeds`] and [`sitemap`] make the files for feed readers and search
//!    engines;
//! 6. [`output`] writes into a staging folder and swaps it in;
//! 7. [`build`] runs the stages; [`cli`] is the command line.
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

pub mod build;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod feeds;
pub mod markdown;
pub mod output;
pub mod render;
pub mod site;
pub mod sitemap;

pub use build::{BuildOptions, BuildReport, build};
