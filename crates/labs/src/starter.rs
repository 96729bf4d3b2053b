//! The starter set of the semantic-cache lab (our own text): questions an AI assistant for a
//! shop and for Redis learners might get, each with an answer and paraphrases that should hit,
//! plus unrelated questions that should miss.

/// A cached question, its answer, and ways of asking the same thing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StarterPair {
    pub question: &'static str,
    pub answer: &'static str,
    pub paraphrases: &'static [&'static str],
}

pub const STARTER: &[StarterPair] = &[
    StarterPair {
        question: "How do I reset my password?",
        answer:
            "Open Settings, choose Security, then Reset password; we email you a link valid for 30 minutes.",
        paraphrases: &["I forgot my password, how can I change it?", "How can I get a new password?"],
    },
    StarterPair {
        question: "How much does shipping cost?",
        answer: "Standard shipping is free over $50; below that it is a flat $4.99.",
        paraphrases: &["What are the delivery fees?", "How much do you charge for shipping?"],
    },
    StarterPair {
        question: "Can I cancel my subscription?",
        answer: "Yes, any time from Billing; you keep access until the end of the paid period.",
        paraphrases: &["How do I stop my subscription?", "Is it possible to cancel the plan?"],
    },
    StarterPair {
        question: "What time does the store open?",
        answer: "We open at 9 am on weekdays and 10 am on weekends.",
        paraphrases: &["When does the shop open in the morning?", "What are your opening hours?"],
    },
    StarterPair {
        question: "Do you ship internationally?",
        answer: "We ship to 40 countries; duties are shown at checkout.",
        paraphrases: &["Can you deliver to other countries?", "Is international shipping available?"],
    },
    StarterPair {
        question: "How do I return an item?",
        answer: "Start a return from Orders within 30 days; the label is free.",
        paraphrases: &["What is your return process?", "Can I send a product back?"],
    },
    StarterPair {
        question: "What is a cache hit ratio?",
        answer: "The share of reads served from the cache: hits / (hits + misses).",
        paraphrases: &["How is the cache hit rate calculated?", "What does hit ratio mean for a cache?"],
    },
    StarterPair {
        question: "Why should cached LLM answers have a TTL?",
        answer:
            "Answers go stale as data and models change; a TTL bounds how long a stale answer can be served.",
        paraphrases: &["Why expire cached model responses?", "Should LLM cache entries expire?"],
    },
    StarterPair {
        question: "Which Redis type fits a leaderboard?",
        answer: "A sorted set: ZADD scores, ZRANGE with REV and WITHSCORES reads the top.",
        paraphrases: &[
            "What data structure should I use for a leaderboard in Redis?",
            "How do I build a ranking in Redis?",
        ],
    },
    StarterPair {
        question: "How do I rate limit an API with Redis?",
        answer: "INCR a per-user key for the current window and set its TTL to the window length.",
        paraphrases: &["How can Redis limit requests per user?", "What is a simple Redis rate limiter?"],
    },
];

/// Questions unrelated to every starter pair: these should miss.
pub const UNRELATED: &[&str] = &[
    "What is the tallest mountain in Europe?",
    "Write a haiku about autumn leaves.",
    "How many legs does a spider have?",
    "Translate 'good morning' into Italian.",
];
