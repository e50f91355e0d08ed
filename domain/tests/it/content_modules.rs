//! The module loader's rules beyond those in `module_validation.rs`: every problem in
//! `fixtures/broken-modules` is reported once, as `path:line: message`, with the line the
//! author must fix; a valid module beside the broken ones loads, with its links rewritten, its
//! other links left alone and its images carried with their types.

use std::path::{Path, PathBuf};

use domain::content::modules::{
    ModuleIndex, QuestionKind, ReviewStatus, lesson_path, load_module, load_modules, media_path,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken-modules")
}

#[test]
fn every_rule_is_reported_at_the_line_to_fix() {
    let root = fixtures();
    let errors = load_modules(&root).unwrap_err();
    let lines: Vec<String> = errors
        .0
        .iter()
        .map(|error| {
            format!(
                "{}:{}: {}",
                error.path.strip_prefix(&root).unwrap().display(),
                error.line,
                error.message
            )
        })
        .collect();
    let expected = [
        "modules/Bad_Folder/module.toml:1: folder name `Bad_Folder` must be lowercase letters, digits and hyphens",
        "modules/blank-and-range/01-intro.md:2: `title` must not be blank",
        "modules/blank-and-range/01-intro.md:3: `summary` must not be blank",
        "modules/blank-and-range/01-intro.md:7: link to `../other/01-intro.md`: there is no module `other`",
        "modules/blank-and-range/01-intro.md:9: image `images/chart.png` is not in the module's folder",
        "modules/blank-and-range/01-intro.md:11: link to `03-gone.md` does not match a lesson of this module",
        "modules/blank-and-range/01-intro.md:12: link to `03-gone.md` does not match a lesson of this module",
        "modules/blank-and-range/module.toml:1: `title` must not be blank",
        "modules/blank-and-range/module.toml:5: audience `paramedic` is not a profession (use the values from the application form)",
        "modules/blank-and-range/module.toml:9: topic `Fitness_For_Duty` must be lowercase letters, digits and hyphens",
        "modules/blank-and-range/module.toml:12: `cpd_hours` must be above 0 and at most 100",
        "modules/blank-and-range/module.toml:13: `pass_mark` must be a percentage from 1 to 100",
        "modules/blank-and-range/module.toml:16: learning outcomes must not be blank",
        "modules/blank-and-range/module.toml:18: two lessons would both be called `intro`; rename one",
        "modules/blank-and-range/module.toml:21: question id `Question One` must be lowercase letters, digits and hyphens",
        "modules/blank-and-range/module.toml:21: question `Question One` needs at least two options",
        "modules/blank-and-range/module.toml:23: `prompt` must not be blank",
        "modules/blank-and-range/module.toml:26: option `text` must not be blank",
        "modules/blank-and-range/module.toml:31: question `lonely` needs at least two options",
        "modules/cross-links/01-intro.md:9: link to `../all-link-kinds/09-nope.md`: module `all-link-kinds` has no lesson `09-nope.md`",
        "modules/cross-links/01-intro.md:10: link to `../missing-module/01-intro.md`: there is no module `missing-module`",
        "modules/cross-links/01-intro.md:10: link to `../missing-module/`: there is no module `missing-module`",
        "modules/governance-errors/module.toml:23: governance status `approved` must be `draft`, `awaiting-clinical-review` or `reviewed`",
        "modules/governance-errors/module.toml:24: list at least one name in `authors`",
        "modules/governance-errors/module.toml:25: `next_review` (2026-01-01) must be after the latest review (2999-01-01)",
        "modules/governance-errors/module.toml:29: names in `reviewers` must not be blank",
        "modules/governance-errors/module.toml:32: reviews must be oldest first: 2026-02-01 comes after 2026-03-01",
        "modules/governance-errors/module.toml:33: list at least one name in `reviewers`",
        "modules/governance-errors/module.toml:36: `2026-04-01T09:00:00` must be a date alone, like 2027-06-30",
        "modules/governance-errors/module.toml:40: review date 2999-01-01 is in the future",
        "modules/lesson-front-matter/01-typo.md:3: unknown field `sumary`, expected one of `title`, `summary`, `minutes`",
        "modules/lesson-front-matter/02-no-fence.md:1: the file must start with a `+++` line opening the TOML front matter",
        "modules/lesson-front-matter/03-zero.md:4: `minutes` must be above 0",
        "modules/lesson-front-matter/module.toml:7: `08-forgotten.md` is in the folder but not listed in `lessons`",
        "modules/lesson-front-matter/module.toml:11: lesson file `04-missing.md` is missing",
        "modules/lesson-front-matter/module.toml:13: lesson `05-twice.md` is listed twice",
        "modules/lesson-front-matter/module.toml:14: lesson file `6-short.md` must be named like `01-<name>.md`",
        "modules/lesson-front-matter/module.toml:15: lesson name `check` is used by the module's own pages; rename the file",
        "modules/new/module.toml:1: folder name `new` is used by the learning section's own pages; choose another",
        "modules/no-governance/module.toml:1: add a `[governance]` table with the module's `status` and `authors` (see content/README.md)",
        "modules/no-lessons-no-questions/module.toml:1: add at least one knowledge-check question (`[[questions]]`)",
        "modules/no-lessons-no-questions/module.toml:7: list at least one lesson",
        "modules/reviewed-without-record/module.toml:23: status `reviewed` needs the review recorded as a `[[governance.reviews]]` table",
        "modules/reviewed-without-record/module.toml:23: status `reviewed` needs `next_review`, the date the next review is due",
        "modules/unknown-option-key/module.toml:17: unknown field `score`, expected one of `text`, `correct`, `feedback`",
        "modules/unknown-question-key/module.toml:13: unknown field `hint`, expected one of `id`, `kind`, `prompt`, `explanation`, `options`",
        "modules/wrong-type/module.toml:3: invalid type: string \"ninety\", expected u32",
    ];
    assert_eq!(lines, expected);
}

#[test]
fn a_valid_module_beside_broken_ones_loads_with_rewritten_links_and_typed_media() {
    let root = fixtures();
    let mut errors = Vec::new();
    let index = ModuleIndex::read(&root);
    let module = load_module(
        &root,
        &root.join("modules/all-link-kinds"),
        &index,
        &mut errors,
    )
    .unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(module.slug, "all-link-kinds");
    assert_eq!(module.source_dir, "modules/all-link-kinds");
    assert!(module.audience.is_empty());
    assert_eq!(module.pass_mark, 100);
    assert_eq!(module.cpd_hours, 0.25);
    assert_eq!(module.cpd_minutes, 15);
    assert_eq!(module.questions[0].kind, QuestionKind::Multiple);
    assert_eq!(module.questions[0].kind.as_str(), "multiple");
    let positions: Vec<(u32, &str)> = module
        .lessons
        .iter()
        .map(|lesson| (lesson.position, lesson.slug.as_str()))
        .collect();
    assert_eq!(positions, [(1, "start"), (2, "next")]);

    let start = &module.lessons[0].html;
    for kept in [
        r#"href="/learning/other-module/lesson""#,
        r##"href="#key-points""##,
        r#"href="http://example.org/""#,
        r#"href="https://www.gov.uk/""#,
        r#"href="mailto:oh@example.org""#,
    ] {
        assert!(start.contains(kept), "{kept} in {start}");
    }
    let next = lesson_path("all-link-kinds", "next");
    assert_eq!(next, "/learning/all-link-kinds/next");
    assert!(start.contains(&format!(r#"href="{next}""#)), "{start}");
    assert!(
        start.contains(&format!(r##"href="{next}#key-points""##)),
        "{start}"
    );
    for image in ["photo.jpg", "diagram.svg", "dot.gif"] {
        let url = media_path("all-link-kinds", image);
        assert!(
            start.contains(&format!(r#"src="{url}""#)),
            "{image} in {start}"
        );
    }
    assert!(
        module.lessons[1]
            .html
            .contains(r#"href="/learning/all-link-kinds/start#key-points""#)
    );
    for other_module in [
        r#"href="/learning/blank-and-range/intro#part""#,
        r#"href="/learning/wrong-type""#,
        r#"href="/learning/all-link-kinds/next""#,
    ] {
        assert!(start.contains(other_module), "{other_module} in {start}");
    }
    assert_eq!(
        module.governance.status,
        ReviewStatus::AwaitingReview,
        "the status is as written"
    );
    assert_eq!(module.governance.authors, ["Fixture author"]);
    assert!(module.governance.reviews.is_empty());

    let media: Vec<(&str, &str)> = module
        .media
        .iter()
        .map(|file| (file.file_name.as_str(), file.content_type.as_str()))
        .collect();
    assert_eq!(
        media,
        [
            ("photo.jpg", "image/jpeg"),
            ("diagram.svg", "image/svg+xml"),
            ("dot.gif", "image/gif"),
        ]
    );
    let on_disk = std::fs::read(root.join("modules/all-link-kinds/photo.jpg")).unwrap();
    assert_eq!(module.media[0].bytes, on_disk);
}

#[test]
fn no_modules_folder_means_no_modules() {
    let temp = tempfile::tempdir().unwrap();
    assert!(load_modules(temp.path()).unwrap().is_empty());
}
