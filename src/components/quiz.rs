//! The knowledge checks under a lesson (`playground_labs::quiz`): pick an answer, see whether it
//! was right and why, and run the lines that show it in the console. Answers are not saved: the
//! checks are for the learner, not a score kept anywhere. Part of the lazily loaded module.

use playground_labs::quiz::questions_for;
use std::collections::HashMap;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct QuizProps {
    /// The lesson whose questions to ask.
    pub lesson: &'static str,
    /// Run lines in the console, as if typed.
    pub on_run: Callback<Vec<String>>,
}

#[component]
pub fn Quiz(props: &QuizProps) -> Html {
    // Question index -> the choice picked.
    let picked = use_state(HashMap::<usize, usize>::new);
    let questions = questions_for(props.lesson);
    if questions.is_empty() {
        return html! {};
    }
    let right = picked.iter().filter(|(q, c)| questions.get(**q).is_some_and(|q| q.is_right(**c))).count();
    let items = questions.iter().enumerate().map(|(i, q)| {
        let chosen = picked.get(&i).copied();
        let choices = q.choices.iter().enumerate().map(|(c, text)| {
            let class = classes!(
                "quiz-choice",
                (chosen == Some(c)).then_some("picked"),
                (chosen.is_some() && q.is_right(c)).then_some("right"),
                (chosen == Some(c) && !q.is_right(c)).then_some("wrong"),
            );
            let onclick = {
                let picked = picked.clone();
                Callback::from(move |_: MouseEvent| {
                    let mut all = (*picked).clone();
                    all.insert(i, c);
                    picked.set(all);
                })
            };
            html! { <li><button {class} disabled={chosen.is_some()} {onclick} data-testid="quiz-choice">{ *text }</button></li> }
        });
        let state = match chosen {
            None => "open",
            Some(c) if q.is_right(c) => "right",
            Some(_) => "wrong",
        };
        let again = {
            let picked = picked.clone();
            Callback::from(move |_: MouseEvent| {
                let mut all = (*picked).clone();
                all.remove(&i);
                picked.set(all);
            })
        };
        let runs = q.try_lines.iter().map(|line| crate::components::lessons::line_to_try(line, &props.on_run, false));
        html! {
            <li class="quiz-question" data-testid="quiz-question" data-state={state}>
                <p class="quiz-ask">{ q.ask }</p>
                <ol class="quiz-choices" type="A">{ for choices }</ol>
                if chosen.is_some() {
                    <div class="quiz-answer" data-testid="quiz-answer">
                        <p class={if state == "right" { "ok-text" } else { "error-text" }} data-testid="quiz-verdict">
                            { if state == "right" { "Right.".to_string() } else { format!("Not quite: the answer is “{}”.", q.answer_text()) } }
                        </p>
                        <p class="quiz-explain" data-testid="quiz-explain">{ q.explain }</p>
                        if !q.try_lines.is_empty() {
                            <p class="muted">{"See it in the console:"}</p>
                            <ul class="lesson-lines">{ for runs }</ul>
                        }
                        <button class="btn small" onclick={again}>{"Answer again"}</button>
                    </div>
                }
            </li>
        }
    });
    html! {
        <section class="quiz" data-testid="quiz" aria-label="Knowledge check">
            <h4>{"Check yourself"}</h4>
            <p class="muted" data-testid="quiz-score">
                {format!("{right} of {} answered right", questions.len())}
            </p>
            <ol class="quiz-questions">{ for items }</ol>
        </section>
    }
}
