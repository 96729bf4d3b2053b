//! Knowledge checks: a few multiple-choice questions at the end of a lesson, on what the course
//! expects a learner to know (the port of Azure Managed Redis, which pattern, which command,
//! which type, how to authenticate, what a KNN score means).
//!
//! Each question is data: the choices, the one that is right, why (shown once answered, right or
//! wrong), and where it helps, console lines that show the answer on the server itself. The
//! page draws them under a lesson (`components::quiz`); the text is ours.

/// One multiple-choice question.
pub struct Question {
    pub ask: &'static str,
    pub choices: &'static [&'static str],
    /// Index into `choices` of the right answer.
    pub answer: usize,
    /// Why, shown after any answer.
    pub explain: &'static str,
    /// Lines to run in the console that show the answer (may be empty).
    pub try_lines: &'static [&'static str],
}

impl Question {
    /// Is `choice` the right answer?
    pub fn is_right(&self, choice: usize) -> bool {
        choice == self.answer
    }

    /// The right answer's text.
    pub fn answer_text(&self) -> &'static str {
        self.choices.get(self.answer).copied().unwrap_or_default()
    }
}

/// The questions at the end of the lesson `lesson_id` (none for most lessons).
pub fn questions_for(lesson_id: &str) -> &'static [Question] {
    QUIZZES.iter().find(|(id, _)| *id == lesson_id).map_or(&[], |(_, q)| q)
}

/// Lesson id and its questions.
pub const QUIZZES: &[(&str, &[Question])] = &[
    (
        "cache-aside",
        &[
            Question {
                ask: "Your app caches inference results that are read often and must be dropped when \
                      the source data changes. Which pattern fits?",
                choices: &[
                    "Write-behind: write to the cache, let the database catch up later",
                    "Cache-aside: read the cache, on a miss compute and store with a TTL, delete on change",
                    "No cache: call the model every time so answers are never stale",
                ],
                answer: 1,
                explain: "Cache-aside (lazy loading) fills the cache only with what is asked for, and \
                          the app deletes or overwrites an entry when its source changes. Write-behind \
                          is about writes, and risks losing them if the cache fails first.",
                try_lines: &[],
            },
            Question {
                ask: "Which port does an app use to reach Azure Managed Redis, and why?",
                choices: &[
                    "6379, the usual Redis port, in plain text",
                    "6380, the TLS port",
                    "10000, because the service accepts TLS connections only by default",
                ],
                answer: 2,
                explain: "Azure Managed Redis listens on 10000 and, by default, only over TLS (rediss:// \
                          in a URL, ssl=True in redis-py). 6379 is open-source Redis's default; 6380 \
                          was the TLS port of the older Azure Cache for Redis.",
                try_lines: &[],
            },
            Question {
                ask: "In production, how should the app prove who it is without an access key stored \
                      in its configuration?",
                choices: &[
                    "Microsoft Entra ID: a managed identity gets tokens that the client refreshes",
                    "The access key in an environment variable instead of a file",
                    "No authentication, since the cache sits in a private network",
                ],
                answer: 0,
                explain: "With Microsoft Entra ID the app's managed identity asks for short-lived tokens \
                          (redis-entraid with DefaultAzureCredential in Python), so there is no \
                          long-lived shared secret to leak or rotate. An environment variable still \
                          holds the key.",
                try_lines: &[],
            },
        ],
    ),
    (
        "invalidation",
        &[Question {
            ask: "You want to read and change one field of a user profile (its tier, say) without \
                  parsing and rewriting a JSON string each time. Which type?",
            choices: &[
                "A string holding the profile as JSON",
                "A hash: one field per attribute, HSET to write and HGET to read",
                "A list with one attribute per element",
            ],
            answer: 1,
            explain: "A hash keeps named fields under one key: HGET reads one field, HSET or HINCRBY \
                      changes one, and nothing else is sent or parsed. A JSON string must be read, \
                      decoded, changed and written back whole.",
            try_lines: &["HSET user:1001 name Alice tier premium credits 500", "HGET user:1001 tier"],
        }],
    ),
    (
        "rate-limit",
        &[Question {
            ask: "Which command counts a user's API calls per minute safely when several app \
                  servers handle their requests at once?",
            choices: &[
                "GET the count, add one in the app, then SET it back",
                "INCR, with EXPIRE on the first call so the window ends",
                "APPEND one character per call and read STRLEN",
            ],
            answer: 1,
            explain: "INCR adds one inside the server, so two servers can never both read 4 and both \
                      write 5. The first INCR of a window also needs a lifetime (EXPIRE ... NX, or \
                      SET key 0 EX 60 NX before counting), otherwise the counter never resets: TTL \
                      shows it.",
            try_lines: &["INCR rate:quiz", "EXPIRE rate:quiz 60 NX", "TTL rate:quiz"],
        }],
    ),
    (
        "lua-rate-limit",
        &[
            Question {
                ask: "A Lua script runs ZCARD, then ZADD if the count is below the limit. Why can no \
                      other client's request slip in between the two?",
                choices: &[
                    "Redis runs the whole script as one command: other clients wait until it returns",
                    "Lua locks the keys named in KEYS, and other keys stay free",
                    "redis.call retries the ZADD if the count changed meanwhile",
                ],
                answer: 0,
                explain: "A script is atomic because the server runs nothing else while it runs (so a \
                          long script stalls everyone: Redis answers BUSY after 5 seconds and offers \
                          SCRIPT KILL). Nothing is locked or retried.",
                try_lines: &[],
            },
            Question {
                ask: "An app sends INCR and then EXPIRE as two commands for each new window. What can \
                      go wrong?",
                choices: &[
                    "INCR can answer a string instead of a number",
                    "The app can stop between them, leaving a counter with no TTL that never resets",
                    "EXPIRE sets the counter back to 0",
                ],
                answer: 1,
                explain: "Two commands are two moments: a crash, a timeout or a deploy between them \
                          leaves INCR's key without a lifetime (TTL -1). A script, or MULTI/EXEC with \
                          EXPIRE ... NX, sends both as one.",
                try_lines: &["INCR rl:quiz", "TTL rl:quiz"],
            },
            Question {
                ask: "Why does the script get its key in KEYS rather than building the name itself?",
                choices: &[
                    "KEYS is faster to read than a string built in Lua",
                    "Lua cannot concatenate strings",
                    "Redis and cluster clients read KEYS to know which keys (so which shard) the script touches",
                ],
                answer: 2,
                explain: "A cluster routes EVAL by the slots of its KEYS and refuses keys of different \
                          slots; a key the script makes up on its own may live on another shard. ACL \
                          key patterns are checked against KEYS too.",
                try_lines: &[],
            },
        ],
    ),
    (
        "vector-index",
        &[Question {
            ask: "A semantic cache answers from cache when the cosine similarity is 0.95 or more. \
                  FT.SEARCH returns a COSINE KNN score: which scores are hits?",
            choices: &["Scores of 0.95 or more", "Scores of 0.05 or less", "Scores between 0.95 and 1.05"],
            answer: 1,
            explain: "The KNN score is a distance, 1 - similarity: 0 means the same direction. \
                      Similarity >= 0.95 is distance <= 0.05. Run the lesson's search below (once its \
                      index exists): faq:1 scores about 0.03, a hit, and faq:2 about 0.76.",
            try_lines: &[
                r#"FT.SEARCH idx:faq "*=>[KNN 2 @embedding $q AS score]" PARAMS 2 q "\xcd\xccL?\xcd\xccL>\x00\x00\x00\x00\x00\x00\x00\x00" RETURN 2 question score SORTBY score DIALECT 2"#,
            ],
        }],
    ),
];
