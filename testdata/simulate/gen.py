#!/usr/bin/env python3
"""Writes the crafted logs in logs/ (request+response pairs with known
answers for the simulate tests). Run from this directory: python3 gen.py"""
import json

counter = [0]

def pair(ts, model, messages, prompt, completion, cached=0, user=None, metadata=None, tier=None,
         max_tokens=None, provider=None, resp_model=None, reasoning=0):
    counter[0] += 1
    req = {"model": model, "messages": messages}
    if max_tokens:
        req["max_tokens"] = max_tokens
    if user:
        req["user"] = user
    if metadata:
        req["metadata"] = metadata
    resp = {"id": "chatcmpl-%03d" % counter[0], "object": "chat.completion", "created": 1772442000, "model": resp_model or model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
                      "prompt_tokens_details": {"cached_tokens": cached},
                      "completion_tokens_details": {"reasoning_tokens": reasoning}}}
    if tier:
        resp["service_tier"] = tier
    line = {"timestamp": ts, "request": req, "response": resp}
    if provider:
        line["provider"] = provider
    return json.dumps(line, separators=(",", ":"))

def user(text):
    return {"role": "user", "content": text}

def write(name, lines):
    with open("logs/" + name, "w") as f:
        for l in lines:
            f.write(l + "\n")

# batch.jsonl: 10 calls to gpt-4o, 1,000 input and 500 output tokens each
# ($0.0075 a call, $0.075 in all). 3 can wait for a batch (no user, no
# session, no rule against them): they save half, $0.01125.
L = []
for i in range(3):
    L.append(pair(f"2026-03-02T0{i}:00:00Z", "gpt-4o", [user("Tag this ticket.")], 1000, 500))
for i in range(3):
    L.append(pair(f"2026-03-02T1{i}:00:00Z", "gpt-4o", [user("Hi!")], 1000, 500, user=f"u_{i}"))
L.append(pair("2026-03-02T13:00:00Z", "gpt-4o", [user("Chat.")], 1000, 500, metadata={"session_id": "s_1"}))
L.append(pair("2026-03-02T14:00:00Z", "gpt-4o", [user("Now.")], 1000, 500, metadata={"priority": "interactive"}))
L.append(pair("2026-03-02T15:00:00Z", "gpt-4o", [user("Fast.")], 1000, 500, tier="priority"))
L.append(pair("2026-03-02T16:00:00Z", "gpt-4o", [user("Flex.")], 1000, 500, tier="flex"))
write("batch.jsonl", L)

# batch-half.jsonl: 2 calls to a Bedrock model the catalog lists no batch
# price for (cohere.command-r-v1:0, $0.50/$1.50 per 1M): batched at 50% of
# standard. 1,000,000 input and 100,000 output tokens each: $0.65 a call,
# $1.30 in all, $0.65 saved.
L = [pair(f"2026-03-03T0{i}:00:00Z", "cohere.command-r-v1:0", [user("Classify.")], 1_000_000, 100_000, provider="bedrock")
     for i in range(2)]
write("batch-half.jsonl", L)

# output.jsonl: 20 calls to gpt-4.1-mini ($0.40/$1.60), 1,000 input tokens
# and 100, 200, …, 2,000 output tokens. The 95th percentile (nearest rank:
# the 19th of 20) is 1,900: one answer is cut by 100 tokens ($0.00016). A
# fixed cap of 1,000 cuts 10 answers by 5,500 tokens ($0.0088).
L = [pair(f"2026-03-02T{i:02d}:00:00Z", "gpt-4.1-mini", [user("Write.")], 1000, 100 * (i + 1)) for i in range(20)]
write("output.jsonl", L)

# history.jsonl: conversations whose system prompt and messages are all the
# same text, so each block is an equal share of the billed input.
# Request 1: system + 14 messages, 1,500 input tokens (100 a block), gpt-4o;
# a window of 10 drops 4 messages: 400 tokens ($0.001).
# Request 2: the same with 1,000 of them cache reads: the window keeps only
# the system prompt cached (100), so 1,000 uncached + 100 read.
# Request 3: system + 6 messages (700 tokens): under a window of 10, unchanged.
same = "hello hello hello"
def conv(n):
    return [{"role": "system", "content": same}] + [
        {"role": "user" if i % 2 == 0 else "assistant", "content": same} for i in range(n)]
L = [
    pair("2026-03-02T09:00:00Z", "gpt-4o", conv(14), 1500, 100, metadata={"session_id": "c1"}),
    pair("2026-03-02T09:05:00Z", "gpt-4o", conv(14), 1500, 100, cached=1000, metadata={"session_id": "c2"}),
    pair("2026-03-02T09:10:00Z", "gpt-4o", conv(6), 700, 100, metadata={"session_id": "c3"}),
]
write("history.jsonl", L)

# routing.jsonl: 10 calls to gpt-4.1 ($2/$8), 1,000 input and 200 output
# tokens each ($0.0036 a call). The classifier puts 5 at simple
# ("Summarize"), 3 at standard ("Explain why") and 2 at expert ("Prove …
# step by step … equation"): simple → gpt-4.1-nano, standard →
# gpt-4.1-mini, expert → o3 (no cheaper than gpt-4.1: stays).
L = []
for i in range(5):
    L.append(pair(f"2026-03-04T0{i}:00:00Z", "gpt-4.1", [user(f"Summarize this note number {i}.")], 1000, 200))
for i in range(3):
    L.append(pair(f"2026-03-04T1{i}:00:00Z", "gpt-4.1", [user(f"Explain why the build {i} fails.")], 1000, 200))
for i in range(2):
    L.append(pair(f"2026-03-04T2{i}:00:00Z", "gpt-4.1", [user("Prove step by step that the equation has no integer root.")], 1000, 200))
write("routing.jsonl", L)

# labels.jsonl: quality labels for routing.jsonl (ids chatcmpl-036 to -045):
# which models answered acceptably. Weak model gpt-4.1-nano, strong gpt-4.1.
# Scores -1 (5 requests: 4 both fine, 1 only gpt-4.1), 1 (3: 2 only
# gpt-4.1, 1 both), 4 (2: only gpt-4.1). Quality weak 0.5, strong 1; the
# curve (share to strong, PGR): (0, 0), (0.2, 0.4), (0.5, 0.8), (1, 1);
# APGR 0.67, CPT(50%) 0.275, CPT(80%) 0.5; the oracle sends 5 to gpt-4.1.
both, strong = ["gpt-4.1-nano", "gpt-4.1"], ["gpt-4.1"]
acc = [both, both, both, both, strong, strong, strong, both, strong, strong]
with open("labels.jsonl", "w") as f:
    for i, a in enumerate(acc):
        f.write(json.dumps({"request_id": "chatcmpl-%03d" % (36 + i), "acceptable": a}) + "\n")

# promptcache.jsonl: gpt-4.1 ($2 input, $0.50 cached), automatic caching
# (prompts of 1,024+ tokens, 128-token steps, 5 minutes idle in memory).
# Every block (system prompt, user message) has the same token count, so
# each is an equal share of the billed input: 2,048 tokens each, 4,096 a
# request. The log shows what OpenAI's in-memory cache gave: hits at 09:01
# (the system prompt, 2,048), 09:02 (the whole prompt of 09:00, 4,096) and
# 09:21:30 (the system prompt cached at 09:20, 2,048); the replay of
# today's caching finds the same 8,192. The 09:20 request missed (18
# minutes idle): with prompt_cache_retention 24h (the proposal) it reads
# 4,096 more, saving $0.006144. The gpt-4.1-mini request misses (caches are
# per model), the 800-token one is too short to cache.
words = lambda w: " ".join([w] * 300)
S, A, B, C = words("hello"), words("world"), words("alpha"), words("house")
def chat(system, u):
    return [{"role": "system", "content": system}, user(u)]
L = [
    pair("2026-03-05T09:00:00Z", "gpt-4.1", chat(S, A), 4096, 10),
    pair("2026-03-05T09:01:00Z", "gpt-4.1", chat(S, B), 4096, 10, cached=2048),
    pair("2026-03-05T09:02:00Z", "gpt-4.1", chat(S, A), 4096, 10, cached=4096),
    pair("2026-03-05T09:20:00Z", "gpt-4.1", chat(S, A), 4096, 10),
    pair("2026-03-05T09:21:00Z", "gpt-4.1-mini", chat(S, A), 4096, 10),
    pair("2026-03-05T09:21:30Z", "gpt-4.1", chat(S, C), 4096, 10, cached=2048),
    pair("2026-03-05T09:22:00Z", "gpt-4.1", chat(S, A[:len(A) // 4]), 800, 10),
]
write("promptcache.jsonl", L)

# promptcache-anthropic.jsonl: one conversation on claude-sonnet-4-5 ($3
# input, $3.75 5-minute write, $0.30 read; minimum 1,024 tokens), Anthropic
# request+response pairs without cache_control, every block 2,000 tokens.
# With breakpoints at the end of the system prompt and of the prompt
# (auto): turn 1 writes 4,000; turn 2 reads 4,000 (turn 1's prompt, found
# by the 20-block lookback) and writes 4,000; turn 3 reads 8,000 and
# writes 4,000: $0.0486 instead of $0.072 uncached, saving $0.0234.
# Breakpoint at the system prompt only (static): $0.0627; at the end only
# (last): $0.0486; where the requests set them (none: logged): $0.072.
def apair(ts, model, system, messages, inp, out, cache_read=0, cache_write=0):
    counter[0] += 1
    req = {"model": model, "max_tokens": 1024, "system": system, "messages": messages}
    resp = {"id": "msg_%03d" % counter[0], "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": "ok"}], "stop_reason": "end_turn",
            "usage": {"input_tokens": inp, "cache_creation_input_tokens": cache_write,
                      "cache_read_input_tokens": cache_read, "output_tokens": out}}
    return json.dumps({"timestamp": ts, "request": req, "response": resp}, separators=(",", ":"))
turns = [user(words("one")), {"role": "assistant", "content": words("two")}, user(words("three")),
         {"role": "assistant", "content": words("four")}, user(words("five"))]
L = [
    apair("2026-03-05T10:00:00Z", "claude-sonnet-4-5", S, turns[:1], 4000, 10),
    apair("2026-03-05T10:01:00Z", "claude-sonnet-4-5", S, turns[:3], 8000, 10),
    apair("2026-03-05T10:04:00Z", "claude-sonnet-4-5", S, turns[:5], 12000, 10),
]
write("promptcache-anthropic.jsonl", L)

# selfhost/: arrival curves for the selfhost scenario (own directory, so
# that the crafted logs above keep their totals).
# flat.jsonl and peaky.jsonl are OpenAI usage exports in hourly buckets
# (one page a line) for 2026-03-02: gpt-4o-2024-08-06 ($2.50/$10), requests
# of 2,000 input + 500 output tokens, 96,000 requests and 240M tokens (192M
# in, 48M out: $960) in both. flat: 4,000 requests (10M tokens) every hour.
# peaky: 2,000 requests (5M) an hour, except 8,000 (20M) from 09:00 to
# 16:59 UTC: peak hour 2x the mean.
import os
os.makedirs("selfhost", exist_ok=True)
DAY = 1772409600  # 2026-03-02T00:00:00Z

def usage_page(hour, requests, model="gpt-4o-2024-08-06"):
    start = DAY + 3600 * hour
    return json.dumps({"object": "page", "data": [{"object": "bucket", "start_time": start, "end_time": start + 3600, "results": [
        {"object": "organization.usage.completions.result", "input_tokens": 2000 * requests, "input_cached_tokens": 0,
         "output_tokens": 500 * requests, "num_model_requests": requests, "model": model, "batch": False, "service_tier": "default"}]}],
        "has_more": False, "next_page": None}, separators=(",", ":"))

def write_to(path, lines):
    with open(path, "w") as f:
        for l in lines:
            f.write(l + "\n")

write_to("selfhost/flat.jsonl", [usage_page(h, 4000) for h in range(24)])
write_to("selfhost/peaky.jsonl", [usage_page(h, 8000 if 9 <= h < 17 else 2000) for h in range(24)])

# small.jsonl: 6 calls to Llama 3.1 70B on Bedrock ($0.99/$0.99), 2,000
# input + 500 output tokens each ($0.002475 a call, $0.01485 in all), two
# an hour from 09:00 to 11:59 UTC: far too few to pay for a GPU for 3
# hours. One gpt-4o call at 10:30 ($0.01; a closed model: not self-hosted
# by default).
L = [pair(f"2026-03-02T{9 + i // 2:02d}:{(i % 2) * 30 + 5:02d}:00Z", "meta.llama3-1-70b-instruct-v1:0", [user(f"Tag ticket {i}.")], 2000, 500, provider="bedrock")
     for i in range(6)]
L.append(pair("2026-03-02T10:30:00Z", "gpt-4o", [user("Tag this ticket.")], 2000, 500))
write_to("selfhost/small.jsonl", L)

# semcache/semcache.jsonl: a semantic cache's known answers (own directory,
# so that the crafted logs above keep their totals). 16 calls of 1,000 input
# and 200 output tokens: 15 to gpt-4.1-mini ($0.40/$1.60: $0.00072 a call)
# and #9 to gpt-4.1-nano ($0.00018), $0.01098 in all. Group A: system prompt
# "You are a support assistant.", max_tokens 300. With the defaults
# (threshold 0.9, TTL 24h, scope conversation) exactly 3 requests are
# answered from the cache, saving $0.00216: #2 (#1's message once
# normalised), #3 (a typo away from #1, similarity 0.96) and #13 (as #11,
# the next day). Never a hit: #5 (another order number than #4), #7 (a
# negation added to #6), #8 (another system prompt), #9 (another model,
# gpt-4.1-nano), #10 (max_tokens 500), #11 (as #1, but 25 hours later: past
# the TTL), #14 (the same message after other turns), #15 (too short), #12
# and #16 (unrelated). With ttl: 48h #11 hits #1 too (4 hits); with scope:
# last_message #14 hits #11 (4 hits).
import os
os.makedirs("semcache", exist_ok=True)
counter[0] = 0  # ids chatcmpl-001 to -016, whatever is written before
SYS = {"role": "system", "content": "You are a support assistant."}
PW = "How do I reset my password if I no longer have access to my email address?"
def sc(ts, text, system=SYS, model="gpt-4.1-mini", max_tokens=300, before=()):
    msgs = ([system] if system else []) + list(before) + [user(text)]
    return pair(ts, model, msgs, 1000, 200, max_tokens=max_tokens)
L = [
    sc("2026-03-06T09:00:00Z", PW),                                                  # 1 sent
    sc("2026-03-06T09:05:00Z", "how do i reset my password if i no longer have access to my email address"),  # 2 hit (identical once normalised)
    sc("2026-03-06T09:10:00Z", PW.replace("access", "acess")),                        # 3 hit (similar: a typo)
    sc("2026-03-06T09:15:00Z", "What is the refund policy for order 1234?"),         # 4 sent
    sc("2026-03-06T09:20:00Z", "What is the refund policy for order 1235?"),         # 5 refused: numbers
    sc("2026-03-06T09:25:00Z", "Is it safe to delete the cache folder?"),            # 6 sent
    sc("2026-03-06T09:30:00Z", "Is it not safe to delete the cache folder?"),        # 7 refused: negation
    sc("2026-03-06T09:35:00Z", PW, system={"role": "system", "content": "You are a sales assistant."}),  # 8 other system prompt
    sc("2026-03-06T09:40:00Z", PW, model="gpt-4.1-nano"),  # 9 other model
    sc("2026-03-06T09:45:00Z", PW, max_tokens=500),       # 10 other parameters
    sc("2026-03-07T10:00:00Z", PW),                       # 11 sent: #1 expired
    sc("2026-03-07T10:05:00Z", "Write a haiku about autumn leaves."),                # 12 sent
    sc("2026-03-07T10:10:00Z", PW),                       # 13 hit (#11)
    sc("2026-03-07T10:15:00Z", PW,
       before=[user("Hi there, I need some help"), {"role": "assistant", "content": "Sure, what do you need?"}]),  # 14 other turns
    sc("2026-03-07T10:20:00Z", "Thanks!"),                                           # 15 too short
    sc("2026-03-07T10:25:00Z", "Summarize the attached quarterly report in three bullet points."),  # 16 sent
]
with open("semcache/semcache.jsonl", "w") as f:
    f.write("".join(l + "\n" for l in L))

# promptcache-gemini.jsonl: 30 calls to gemini-2.5-flash ($0.30 input,
# $0.03 cached), 12 minutes apart, each two system messages and one user
# message of 2,000 tokens (6,000 input, 10 output). Implicit caching (5
# minutes idle) never hits: $0.054 of input. An explicit context cache of
# the 4,000-token system prefix (1h TTL): the first call creates it
# ($0.0018), the 29 others read it (4,000 at $0.03 and 2,000 at $0.30:
# $0.00072 each, $0.02088); it lives 29 x 12 min + 1 h = 6.8 h: 27,200
# token-hours at $1.08 per 1M per hour (3.6 x input), $0.029376. Explicit:
# $0.052056, so best picks it and saves $0.001944.
sys2 = [{"role": "system", "content": words("alpha")}, {"role": "system", "content": words("house")}]
L = []
for i in range(30):
    t = 12 * i
    L.append(pair("2026-03-06T%02d:%02d:00Z" % (8 + t // 60, t % 60), "gemini-2.5-flash",
                  sys2 + [user(words("world"))], 6000, 10, provider="gemini"))
write("promptcache-gemini.jsonl", L)
