//! The guided lessons beside the console: pick a lesson, read a step, run its lines with one
//! click (or type your own), and the step ticks off when the console shows it was done. The
//! checks live in `playground_labs::lessons`; this file draws them and tracks progress. It runs
//! in the lazily loaded module (`src/bin/labs.rs`), fed the console's lines by the page
//! (`components::lessons_tab`).
//!
//! Progress only moves forward: each console line is looked at once (by its `seq`), for the
//! lesson open at the time, and the steps done are saved in localStorage.

use crate::components::quiz::Quiz;
use crate::storage;
use playground_labs::lessons::{progress, Ran, LESSONS};
use std::collections::HashMap;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LessonsProps {
    /// The console's commands and replies since the lessons opened, each with its `seq`.
    pub ran: Rc<Vec<(u64, Ran)>>,
    /// Run lines in the console, as if typed.
    pub on_run: Callback<Vec<String>>,
    /// Move the virtual clock by this many ms.
    pub on_jump: Callback<u64>,
    /// Run lines as the page's second client (the other app instance of some lessons).
    pub on_second: Callback<Vec<String>>,
    /// The console talks to a real server (whose clock the page cannot move).
    pub remote: bool,
}

fn jump_label(ms: u64) -> String {
    match ms {
        ms if ms >= 3_600_000 => format!("+{} h", ms / 3_600_000),
        ms => format!("+{} min", ms / 60_000),
    }
}

#[component]
pub fn Lessons(props: &LessonsProps) -> Html {
    let chosen = use_state(|| 0usize);
    let done = use_state(storage::load_lessons);
    // Lines already looked at.
    let seen = use_mut_ref(|| 0u64);
    {
        let (done, seen, chosen) = (done.clone(), seen.clone(), *chosen);
        use_effect_with(props.ran.clone(), move |ran| {
            let last_seen = *seen.borrow();
            let fresh: Vec<Ran> =
                ran.iter().filter(|(seq, _)| *seq > last_seen).map(|(_, r)| r.clone()).collect();
            *seen.borrow_mut() = ran.last().map_or(last_seen, |(seq, _)| (*seq).max(last_seen));
            let Some(lesson) = LESSONS.get(chosen) else { return };
            let before = done.get(lesson.id).copied().unwrap_or(0);
            let after = progress(lesson, before, &fresh);
            if after != before {
                let mut all: HashMap<String, usize> = (*done).clone();
                all.insert(lesson.id.to_string(), after);
                storage::save_lessons(&all);
                done.set(all);
            }
        });
    }
    let Some(lesson) = LESSONS.get(*chosen) else { return html! {} };
    let steps_done = done.get(lesson.id).copied().unwrap_or(0).min(lesson.steps.len());
    let pick = |i: usize| {
        let chosen = chosen.clone();
        Callback::from(move |_: MouseEvent| chosen.set(i))
    };
    let restart = {
        let (done, id) = (done.clone(), lesson.id);
        Callback::from(move |_: MouseEvent| {
            let mut all: HashMap<String, usize> = (*done).clone();
            all.remove(id);
            storage::save_lessons(&all);
            done.set(all);
        })
    };
    let list = LESSONS.iter().enumerate().map(|(i, l)| {
        let finished = done.get(l.id).copied().unwrap_or(0) >= l.steps.len();
        html! {
            <li>
                <button class={classes!("lesson-pick", (i == *chosen).then_some("active"), finished.then_some("finished"))}
                    onclick={pick(i)} data-testid={format!("lesson-{}", l.id)}>
                    <span class="lesson-mark" aria-hidden="true">{ if finished { "✓" } else { "" } }</span>
                    { l.title }
                </button>
            </li>
        }
    });
    let steps = lesson.steps.iter().enumerate().map(|(i, step)| {
        let state = match i.cmp(&steps_done) {
            std::cmp::Ordering::Less => "done",
            std::cmp::Ordering::Equal => "current",
            std::cmp::Ordering::Greater => "later",
        };
        let runs = step.try_lines.iter().map(|line| line_to_try(line, &props.on_run, state == "later"));
        let seconds = step.second_lines.iter().map(|line| {
            let (on_second, line) = (props.on_second.clone(), line.to_string());
            html! {
                <li class="lesson-line second">
                    <code>{ &line }</code>
                    <button class="btn small" disabled={state == "later" || props.remote} data-testid="lesson-second"
                        title="Run this line in the Second client panel"
                        onclick={Callback::from(move |_: MouseEvent| on_second.emit(vec![line.clone()]))}>{"▶ Run in client 2"}</button>
                </li>
            }
        });
        html! {
            <li class={classes!("lesson-step", state)} data-testid="lesson-step" data-state={state}>
                <p><span class="lesson-mark" aria-hidden="true">{ if state == "done" { "✓" } else { "" } }</span>{ step.say }</p>
                if let Some(ms) = step.jump_ms {
                    if props.remote {
                        <p class="muted">{"On a real server the clock is real: wait, or set a shorter TTL to see it run out."}</p>
                    } else {
                        <button class="btn small" disabled={state != "current"} data-testid="lesson-jump"
                            onclick={props.on_jump.reform(move |_: MouseEvent| ms)}>{format!("⏩ Move the clock {}", jump_label(ms))}</button>
                    }
                }
                if !step.second_lines.is_empty() {
                    <p class="muted">{ if props.remote {
                        "In the second client (the engine in the page only: switch back to try it):"
                    } else {
                        "In the Second client panel (the other app instance):"
                    } }</p>
                    <ul class="lesson-lines">{ for seconds }</ul>
                    <p class="muted">{"Then here, in the console:"}</p>
                }
                <ul class="lesson-lines">{ for runs }</ul>
            </li>
        }
    });
    html! {
        // The page's `section.panel.lessons` holds this (see `lessons_tab`).
        <>
            <div class="panel-head"><h2>{"Lessons"}</h2></div>
            <div class="lessons-body">
                <ol class="lesson-list">{ for list }</ol>
                <article class="lesson" data-testid="lesson">
                    <h3>{ lesson.title }</h3>
                    <p class="muted">{ lesson.goal }</p>
                    if lesson.cluster > 0 {
                        <p class="lesson-cluster" data-testid="lesson-cluster">{ format!(
                            "Runs on a cluster: set the Server panel's cluster switch to {} shards first (the engine in the page; a real server is what it is).",
                            lesson.cluster
                        ) }</p>
                    }
                    <p class="lesson-progress" data-testid="lesson-progress">
                        {format!("{steps_done} of {} steps done", lesson.steps.len())}
                        <button class="btn small" onclick={restart}>{"Start over"}</button>
                    </p>
                    <ol class="lesson-steps">{ for steps }</ol>
                    if steps_done >= lesson.steps.len() {
                        <p class="lesson-wrap-up ok-text" data-testid="lesson-done">{ lesson.wrap_up }</p>
                    }
                    <Quiz key={lesson.id} lesson={lesson.id} on_run={props.on_run.clone()} />
                </article>
            </div>
        </>
    }
}

/// A console line to try, with its Run button (a lesson's step, a knowledge check's proof).
pub fn line_to_try(line: &str, on_run: &Callback<Vec<String>>, disabled: bool) -> Html {
    let on_run = on_run.clone();
    let line = line.to_string();
    let shown = line.clone();
    html! {
        <li class="lesson-line">
            <code>{shown}</code>
            <button class="btn small" {disabled} title="Run this line in the console"
                onclick={Callback::from(move |_: MouseEvent| on_run.emit(vec![line.clone()]))}>{"▶ Run"}</button>
        </li>
    }
}
