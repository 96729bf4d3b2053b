//! The lessons as the lazily loaded module mounts them (`mount_lessons` in `src/bin/labs.rs`):
//! the page hands it the console's lines through an [`Inbox`], and gets runs and clock jumps
//! back through the callbacks.

use crate::components::lessons::Lessons;
use playground_labs::lessons::Ran;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// Console lines on their way from the page into the mounted lessons. Lines that arrive before
/// the lessons have drawn once wait here.
#[derive(Clone, Default)]
pub struct Inbox(Rc<RefCell<InboxState>>);

#[derive(Default)]
struct InboxState {
    waiting: Vec<(u64, Ran)>,
    deliver: Option<Callback<Vec<(u64, Ran)>>>,
}

impl Inbox {
    /// Hand new lines (with their `seq`) to the lessons.
    pub fn post(&self, lines: Vec<(u64, Ran)>) {
        let deliver = {
            let mut state = self.0.borrow_mut();
            state.waiting.extend(lines);
            match &state.deliver {
                Some(deliver) => Some((deliver.clone(), std::mem::take(&mut state.waiting))),
                None => None,
            }
        };
        if let Some((deliver, lines)) = deliver {
            deliver.emit(lines);
        }
    }

    fn open(&self, deliver: Callback<Vec<(u64, Ran)>>) {
        self.0.borrow_mut().deliver = Some(deliver);
        self.post(Vec::new());
    }
}

impl PartialEq for Inbox {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonsRootProps {
    pub inbox: Inbox,
    /// Run lines in the page's console, as if typed.
    pub on_run: Callback<Vec<String>>,
    /// Move the page's virtual clock by this many ms.
    pub on_jump: Callback<u64>,
    /// Run lines as the page's second client.
    pub on_second: Callback<Vec<String>>,
    /// The console talks to a real server.
    pub remote: bool,
}

#[component]
pub fn LessonsRoot(props: &LessonsRootProps) -> Html {
    // The latest batch only: the lessons look at each line once, by its seq.
    let ran = use_state(|| Rc::new(Vec::new()));
    {
        let ran = ran.clone();
        use_effect_with(props.inbox.clone(), move |inbox| {
            inbox.open(Callback::from(move |lines: Vec<(u64, Ran)>| {
                if !lines.is_empty() {
                    ran.set(Rc::new(lines));
                }
            }));
        });
    }
    html! {
        <Lessons ran={(*ran).clone()} on_run={props.on_run.clone()} on_jump={props.on_jump.clone()}
            on_second={props.on_second.clone()} remote={props.remote} />
    }
}
