//! The commands a lab step sent, with the replies, as redis-cli would show them.

use crate::console::format::format_reply;
use playground_engine::Frame;
use playground_labs::flow::{display_command, Command};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CommandLogProps {
    pub commands: Vec<(Command, Frame)>,
}

#[component]
pub fn CommandLog(props: &CommandLogProps) -> Html {
    html! {
        <ol class="lab-commands mono">
            { for props.commands.iter().map(|(cmd, reply)| html! {
                <li>
                    <span class="prompt-sign">{"> "}</span>{ display_command(cmd) }
                    <span class={classes!("lab-reply", reply.is_error().then_some("error-text"))}>
                        { format_reply(reply) }
                    </span>
                </li>
            }) }
        </ol>
    }
}
