//! # faers-core
//!
//! Reads FDA's FAERS and legacy AERS quarterly ASCII zips and runs a disproportionality
//! analysis over them: deduplicated case counts, a 2×2 table for every MedDRA preferred term
//! reported with a drug, the reporting odds ratio and other measures, and a description of
//! the cases. The same code runs natively (the `faers` command) and in a browser tab
//! (compiled to WebAssembly, fed from a `File` in a Web Worker), so both give the same
//! result object.
//!
//! The crate does no I/O of its own choosing: it reads from any `Read + Seek` it is handed,
//! and its innermost parts ([`lines`], [`schema`], [`values`]) are fed plain bytes.
//!
//! Layers, in data-flow order:
//! - [`members`]: which zip member is which table, for every era's naming;
//! - [`lines`], [`schema`], [`table`], [`repair`], [`values`]: bytes → lines → fields →
//!   typed values, with FDA's documented broken lines mended;
//! - [`ingest`]: one zip → one [`store::QuarterData`] and its [`InputSummary`];
//! - [`dedup`], [`select`], [`count`], [`stats`], [`describe`]: the analysis steps;
//! - [`onset`]: time to onset per case, its summary and a Weibull fit of it;
//! - [`special`], [`bayes`], [`ebgm`]: special functions, IC/BCPNN and DuMouchel's EBGM;
//! - [`listing`]: the study's Table 9, target cases in an age range with their doses;
//! - [`label`]: the drug's own label (SPL or text), to tell listed reactions from new ones;
//! - [`listedness`]: each signal checked against the label, with the reviewer's calls;
//! - [`sensitivity`]: the analysis under several deduplication settings;
//! - [`meddra`]: the user's own MedDRA files, for PT codes and SOC grouping;
//! - [`snapshot`]: a loaded quarter as bytes (kept by the page between visits) and back;
//! - [`workspace`]: the loaded quarters and [`Workspace::analyze`];
//! - [`report`]: the result object;
//! - [`plots`]: the study's figures as standalone SVG;
//! - [`export`]: the result as JSON, CSV tables, figures and a methods paragraph.
#![deny(missing_docs)]

pub mod bayes;
pub mod count;
pub mod dedup;
pub mod describe;
pub mod ebgm;
pub mod error;
pub mod export;
pub mod fisher;
pub mod ingest;
pub mod label;
pub mod lines;
pub mod listedness;
pub mod listing;
pub mod meddra;
pub mod members;
pub mod onset;
pub mod options;
pub mod pairs;
pub mod plots;
pub mod repair;
pub mod report;
pub mod schema;
pub mod select;
pub mod sensitivity;
pub mod snapshot;
pub mod special;
pub mod stats;
pub mod store;
pub mod summary;
pub mod table;
pub mod values;
pub mod workspace;

pub use error::{InputError, NotZipFound};
pub use options::{AnalysisOptions, DedupMode, DeletedMode, MatchMode, Unit};
pub use report::AnalysisResult;
pub use store::Role;
pub use summary::InputSummary;
pub use workspace::{AnalysisError, Workspace};

/// The tool's version, stated in every result.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
