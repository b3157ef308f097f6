//! Writing the search index of a project: after the pages in a build,
//! after the reload while serving (the edited page never waits for it).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxBuildHasher;

use super::edition::Edition;
use super::outputs::read_body;
use super::{BuildError, BuildFailure, WriteReport};
use crate::diagnostics::FileError;
use crate::hash::Signature;
use crate::markdown::PlainText;
use crate::output::Sink;
use crate::search::{self, DocTerms, Vocabulary, index};
use crate::timings::Timings;

/// The words of each article for the search index, by article file, with
/// the [`search::terms_key`] they were made for, numbered in one
/// vocabulary.
#[derive(Debug, Default)]
pub(super) struct SearchTerms {
    pub(super) by_file: HashMap<PathBuf, (u64, DocTerms), FxBuildHasher>,
    pub(super) vocabulary: Vocabulary,
}

impl SearchTerms {
    /// Lets go of every article's words, and of the vocabulary with them.
    fn clear(&mut self) {
        *self = SearchTerms::default();
    }
}

/// The index files last written, and what they were made from.
#[derive(Debug, Default)]
pub(super) struct SearchWritten {
    /// What the index was made from, when one was written.
    signature: Option<u64>,
    /// The manifest and every shard written.
    files: HashSet<String, FxBuildHasher>,
}

impl Edition {
    /// Makes `serve` write the search index only when asked, with
    /// [`Edition::write_search`], after each write.
    pub fn defer_search(&mut self) {
        self.defer_search = true;
    }

    /// True when the index written is older than the pages: a write since
    /// changed what articles say, and [`Edition::write_search`] has not run.
    pub fn search_is_stale(&self) -> bool {
        self.search_keys()
            .is_some_and(|keys| self.search_written.signature != Some(self.search_signature(&keys)))
    }

    /// The [`search::terms_key`] of every article, by position; `None`
    /// without a site or with search turned off.
    fn search_keys(&self) -> Option<Vec<u64>> {
        let site = &self.model.as_ref()?.site;
        site.config.search.then(|| {
            (0..site.articles.len())
                .into_par_iter()
                .map(|position| search::terms_key(site, position))
                .collect()
        })
    }

    /// What the index is made from: the articles' keys and the settings.
    fn search_signature(&self, keys: &[u64]) -> u64 {
        let mut signature = Signature::new("search index");
        signature.add((
            &self.inputs.config.language,
            self.inputs.config_version,
            keys,
        ));
        signature.finish()
    }

    /// Brings the search index (`search/index.json` and its shards) up to
    /// date with the pages last written: writes the shards that changed and
    /// the manifest, and removes the shards no longer used.
    pub fn write_search(
        &mut self,
        sink: &dyn Sink,
        timings: &mut Timings,
    ) -> Result<WriteReport, BuildFailure> {
        let mut report = WriteReport::default();
        let Some(keys) = self.search_keys() else {
            // Turned off: what an earlier write made goes.
            for file in std::mem::take(&mut self.search_written.files) {
                sink.remove(&file)
                    .map_err(|e| self.failure(BuildError::Output(e)))?;
                report.files_removed += 1;
            }
            self.search_written.signature = None;
            self.search_terms.clear();
            return Ok(report);
        };
        let signature = self.search_signature(&keys);
        if self.search_written.signature == Some(signature) {
            return Ok(report);
        }
        self.options
            .progress
            .stage("indexing for search", None::<u64>);
        report.files_written += self
            .write_stale_search_docs(sink)
            .map_err(|error| self.failure(error))?;
        self.complete_search_terms(&keys)
            .map_err(|errors| self.failure(BuildError::Files(errors)))?;
        let model = self.model.as_ref().expect("signed above");
        let site = &model.site;
        let terms = &mut self.search_terms;
        let docs: Vec<&DocTerms> = site
            .articles
            .iter()
            .map(|a| &terms.by_file[&a.file].1)
            .collect();
        let files = index::build(site, &docs, terms.vocabulary.words());
        drop(docs);
        timings.lap("search index");

        let mut now: HashSet<String, FxBuildHasher> = HashSet::default();
        let written = &self.search_written.files;
        let new_shards: Vec<&(String, Vec<u8>)> = files
            .shards
            .iter()
            .filter(|(path, _)| !written.contains(path))
            .collect();
        new_shards
            .par_iter()
            .try_for_each(|(path, bytes)| sink.write(path, bytes))
            .map_err(|e| self.failure(BuildError::Output(e)))?;
        report.files_written += new_shards.len() + 1;
        now.extend(files.shards.iter().map(|(path, _)| path.clone()));
        sink.write(search::MANIFEST_PATH, files.manifest.as_bytes())
            .map_err(|e| self.failure(BuildError::Output(e)))?;
        now.insert(search::MANIFEST_PATH.to_string());
        for stale in self.search_written.files.difference(&now) {
            sink.remove(stale)
                .map_err(|e| self.failure(BuildError::Output(e)))?;
            report.files_removed += 1;
        }
        self.search_written = SearchWritten {
            signature: Some(signature),
            files: now,
        };
        if self.written.is_none() {
            // A one-off build: nothing is written again.
            self.search_terms.clear();
        } else {
            let site = &self.model.as_ref().expect("signed above").site;
            let files: HashSet<&std::path::Path> =
                site.articles.iter().map(|a| a.file.as_path()).collect();
            self.search_terms
                .by_file
                .retain(|file, _| files.contains(file.as_path()));
        }
        timings.lap("search files");
        Ok(report)
    }

    /// Writes the search results a deferred write left (articles whose
    /// number changed while their pages did not).
    fn write_stale_search_docs(&mut self, sink: &dyn Sink) -> Result<usize, BuildError> {
        let (Some(plan), Some(mut written)) = (self.outputs.take(), self.written.take()) else {
            return Ok(0);
        };
        let now = self.now();
        let made = self
            .run(now, true)
            .write_stale_search_docs(sink, &plan, &mut written);
        self.outputs = Some(plan);
        self.written = Some(written);
        made
    }

    /// Makes the words of every article whose words are missing or out of
    /// date (pages not written since the article changed), from its body.
    fn complete_search_terms(&mut self, keys: &[u64]) -> Result<(), Vec<FileError>> {
        let site = &self.model.as_ref().expect("a model").site;
        let missing: Vec<(usize, u64)> = keys
            .iter()
            .copied()
            .enumerate()
            .filter(|(i, key)| {
                self.search_terms
                    .by_file
                    .get(&site.articles[*i].file)
                    .is_none_or(|(made_for, _)| made_for != key)
            })
            .collect();
        let vocabulary = &self.search_terms.vocabulary;
        let made: Vec<Result<(usize, u64, DocTerms), FileError>> = missing
            .par_iter()
            .map(|&(i, key)| {
                let text = PlainText::of(&read_body(&site.articles[i])?);
                Ok((i, key, DocTerms::new(site, i, &text, vocabulary)))
            })
            .collect();
        let mut errors = Vec::new();
        for result in made {
            match result {
                Ok((i, key, terms)) => {
                    self.search_terms
                        .by_file
                        .insert(site.articles[i].file.clone(), (key, terms));
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}
