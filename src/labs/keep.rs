//! Lab state that outlives the lab's component. Switching tabs unmounts a lab; a learner (or a
//! teacher in the middle of a demo) coming back expects the same run, results and connection.
//! Each lab keeps its state on a shelf per backend: the proxy's URL, or `None` for the page's
//! engine. Choosing another backend starts afresh, with a connection to it.

use std::cell::RefCell;
use std::rc::Rc;
use std::thread::LocalKey;

/// One lab's kept state and the backend it belongs to.
pub type Shelf<T> = RefCell<Option<(Option<String>, Rc<T>)>>;

/// The state kept on `shelf` for `backend`, made by `make` when there is none for it.
pub fn keep<T: 'static>(
    shelf: &'static LocalKey<Shelf<T>>,
    backend: &Option<String>,
    make: impl FnOnce() -> T,
) -> Rc<T> {
    shelf.with(|slot| {
        if let Some((kept_for, state)) = &*slot.borrow() {
            if kept_for == backend {
                return state.clone();
            }
        }
        let state = Rc::new(make());
        *slot.borrow_mut() = Some((backend.clone(), state.clone()));
        state
    })
}
