//! The IndexedDB store (browser only): envelopes as small JS objects, one transaction per call.

use crate::encode::{self, Envelope};
use crate::groups::{self, Group, StoredGroup};
use crate::merge::{self, Found};
use crate::packs::{self, PackRecord};
use crate::schema::{self, CHANGES, CHANGE_LOG, CUSTOMERS, DOC, MESSAGES, META, OUTBOX, PACKS, REFUSED, TASKS, TASK_GROUPS};
use crate::{Batch, Joining, Refusal, Snapshot, Store, StoreError, StoreFactory, SyncRecord, SyncTarget, Written};
use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error, OpenDbError};
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use indexed_db_futures::KeyRange;
use js_sys::{Object, Reflect};
use std::collections::HashSet;
use taskdesk_domain::{Change, CustomerId, Hlc, Task, TaskId, TaskStatus, UserId};
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

/// An open IndexedDB database holding a workspace.
#[derive(Debug)]
pub struct IdbStore {
    db: Database,
}

/// Opens IndexedDB databases of this origin.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdbFactory;

fn from_dom(e: &web_sys::DomException) -> StoreError {
    match e.name().as_str() {
        "QuotaExceededError" => StoreError::QuotaExceeded,
        "ConstraintError" => StoreError::Constraint(crate::memory::UNIQUE_VIOLATION.into()),
        "VersionError" => {
            // "The requested version (1) is less than the existing version (2)."
            let numbers: Vec<u32> = e.message().split(|c: char| !c.is_ascii_digit()).filter_map(|n| n.parse().ok()).collect();
            match numbers[..] {
                [requested, found] => StoreError::TooNew { found, supported: requested },
                _ => StoreError::TooNew { found: 0, supported: schema::LATEST },
            }
        }
        "InvalidStateError" | "UnknownError" | "SecurityError" => StoreError::Unavailable(e.message()),
        name => StoreError::Other(format!("{name}: {}", e.message())),
    }
}

impl From<Error> for StoreError {
    fn from(e: Error) -> Self {
        match &e {
            Error::DomException(d) => from_dom(&web_sys::DomException::from(d.clone())),
            _ => {
                let text = e.to_string();
                if text.contains("Quota") {
                    StoreError::QuotaExceeded
                } else if text.contains("Constraint") {
                    StoreError::Constraint(crate::memory::UNIQUE_VIOLATION.into())
                } else {
                    StoreError::Other(text)
                }
            }
        }
    }
}

fn to_js(e: &Envelope, key_name: &'static str) -> Result<JsValue, StoreError> {
    let obj = Object::new();
    let set = |k: &'static str, v: &JsValue| with_name(k, |k| Reflect::set(&obj, k, v)).map(|_| ()).map_err(|_| StoreError::Other("could not build a record".into()));
    set(key_name, &JsValue::from_str(&e.key))?;
    let mut rest = e.indexes.as_slice();
    while let Some((name, _)) = rest.first() {
        // Entries of one name are together; more than one is a list for a multi-entry index.
        let same = rest.iter().take_while(|(n, _)| n == name).count();
        let value: JsValue = match &rest[..same] {
            [(_, one)] => JsValue::from_str(one),
            many => many.iter().map(|(_, v)| JsValue::from_str(v)).collect::<js_sys::Array>().into(),
        };
        set(name, &value)?;
        rest = &rest[same..];
    }
    set(DOC, &JsValue::from_str(&e.doc))?;
    Ok(obj.into())
}

/// A group's value: its key, its tasks' ids and numbers (for its indexes) and their documents.
fn group_to_js(g: &Group) -> Result<JsValue, StoreError> {
    let strings = |items: &mut dyn Iterator<Item = &str>| JsValue::from(items.map(JsValue::from_str).collect::<js_sys::Array>());
    let obj = Object::new();
    let set = |k: &'static str, v: &JsValue| with_name(k, |k| Reflect::set(&obj, k, v)).map(|_| ()).map_err(|_| StoreError::Other("could not build a group of tasks".into()));
    set(key_of(TASK_GROUPS), &JsValue::from_str(g.key()))?;
    set(groups::IDS, &strings(&mut g.ids()))?;
    set(groups::NUMBERS, &strings(&mut g.numbers()))?;
    set(groups::DOCS, &js_sys::Uint8Array::from(g.docs().as_slice()).into())?;
    Ok(obj.into())
}

/// A stored group as read back; `None` for a value that is not one.
fn group_of(value: &JsValue) -> Option<StoredGroup> {
    let get = |name: &'static str| with_name(name, |n| Reflect::get(value, n)).ok();
    let ids = get(groups::IDS)?.dyn_into::<js_sys::Array>().ok()?.iter().map(|id| id.as_string()).collect::<Option<Vec<String>>>()?;
    let docs = get(groups::DOCS)?.dyn_into::<js_sys::Uint8Array>().ok()?.to_vec();
    StoredGroup::read(ids, docs)
}

thread_local! {
    static NAMES: std::cell::RefCell<Vec<(&'static str, JsValue)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Calls `f` with a property name as a JS string, made once per name: a large write sets seven
/// properties on each of thousands of envelopes, a load reads the document of each, and each
/// name was copied into JS every time.
fn with_name<T>(name: &'static str, f: impl FnOnce(&JsValue) -> T) -> T {
    NAMES.with_borrow_mut(|names| {
        let Ok(at) = made_once(names, name, || Ok::<_, std::convert::Infallible>(JsValue::from_str(name)));
        f(&names[at].1)
    })
}

/// The place of `key` in a short list of things made once each, making it the first time.
fn made_once<K: PartialEq + Copy, V, E>(list: &mut Vec<(K, V)>, key: K, make: impl FnOnce() -> Result<V, E>) -> Result<usize, E> {
    if let Some(at) = list.iter().position(|(k, _)| *k == key) {
        return Ok(at);
    }
    list.push((key, make()?));
    Ok(list.len() - 1)
}

fn doc_of(value: &JsValue) -> Option<String> {
    with_name(DOC, |doc| Reflect::get(value, doc)).ok().and_then(|d| d.as_string())
}

fn key_of(store: &str) -> &'static str {
    schema::VERSIONS.iter().flat_map(|v| v.iter()).find(|d| d.name == store).map_or("id", |d| d.key)
}

/// Commits a transaction. When the browser aborted it (a full disk aborts at commit), the reason
/// is on the transaction, not in the commit's answer: read it there, so the person is told why.
async fn commit(tx: Transaction<'_>) -> Result<(), StoreError> {
    let raw: web_sys::IdbTransaction = tx.as_sys().unchecked_ref::<web_sys::IdbTransaction>().clone();
    match tx.commit().await {
        Ok(()) => Ok(()),
        Err(e) => Err(raw.error().map_or_else(|| e.into(), |dom| from_dom(&dom))),
    }
}

/// Sorted, distinct store names of some envelopes and deletions: a transaction's scope.
fn scope<'a>(names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut names: Vec<&str> = names.collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Sends every put and delete in a transaction. Requests go out when built; the transaction's
/// outcome, awaited by the caller's commit, reports any failure.
fn send(tx: &Transaction<'_>, puts: &[Envelope], deletes: &[(&str, String)]) -> Result<(), StoreError> {
    for (store, key) in deletes {
        drop(tx.object_store(store)?.delete(key.clone()).primitive()?);
    }
    // Each object store once: asking the transaction for it per record was a call into JS each.
    let mut stores = Vec::new();
    for e in puts {
        let at = made_once(&mut stores, e.store, || tx.object_store(e.store))?;
        drop(stores[at].1.put(to_js(e, key_of(e.store))?).primitive()?);
    }
    Ok(())
}

impl IdbStore {
    async fn read_all(&self, store: &str) -> Result<Vec<Option<String>>, StoreError> {
        let tx = self.db.transaction(store).build()?;
        let os = tx.object_store(store)?;
        let rows = os.get_all::<Object>().primitive()?.await?;
        rows.map(|r| r.map(|o| doc_of(&o)).map_err(StoreError::from)).collect()
    }

    /// Those of `wanted` stores this database has (one opened at an earlier schema lacks the later ones).
    fn present<'a>(&self, wanted: &[&'a str]) -> Vec<&'a str> {
        let existing: Vec<String> = self.db.object_store_names().collect();
        wanted.iter().copied().filter(|n| existing.iter().any(|e| e == n)).collect()
    }

    /// Reads and decodes every record of a store a page at a time, asking for the next page
    /// before decoding this one: the browser reads from disk while this page decodes, so a cold
    /// start with 100,000 tasks pays for the slower of the two instead of both. One transaction,
    /// so the pages are one consistent snapshot. Damaged records are described, not returned.
    async fn load_all<T: serde::de::DeserializeOwned>(&self, store: &str, damaged: &mut Vec<String>) -> Result<Vec<T>, StoreError> {
        let tx = self.db.transaction(store).build()?;
        let mut out = Vec::new();
        self.each_page(&tx, store, 2_000, |rows| {
            let docs: Vec<Option<String>> = rows.iter().map(|r| doc_of(r)).collect();
            out.extend(encode::decode_all(store, docs.iter().map(Option::as_deref), damaged));
        })
        .await?;
        Ok(out)
    }

    /// Reads every record of a store in one transaction, `page` at a time (the next page asked for
    /// before this one is handed over), so no single answer holds them all.
    async fn each_page(&self, tx: &Transaction<'_>, store: &str, page: u32, mut f: impl FnMut(&[Object])) -> Result<(), StoreError> {
        let os = tx.object_store(store)?;
        let key = JsValue::from_str(key_of(store));
        let page_after = |last: String, open: bool| os.get_all::<Object>().with_query::<String, _>(KeyRange::<String>::LowerBound(last, open)).with_limit(page).primitive();
        // Every key is a string, and every string is at least "".
        let mut next = Some(page_after(String::new(), false)?);
        while let Some(request) = next.take() {
            let rows = request.await?.collect::<Result<Vec<Object>, _>>()?;
            if rows.len() == page as usize {
                if let Some(last) = rows.last().and_then(|r| Reflect::get(r, &key).ok()).and_then(|k| k.as_string()) {
                    next = Some(page_after(last, true)?);
                }
            }
            f(&rows);
        }
        Ok(())
    }

    /// Hands over, `page` at a time, the documents of grouped tasks that no single value in
    /// `singles` overrides, reading the groups a few at a time in the caller's transaction. A
    /// group that cannot be read is described in `damaged`.
    async fn each_grouped_page(&self, tx: &Transaction<'_>, singles: &HashSet<String>, page: usize, damaged: &mut Vec<String>, mut f: impl FnMut(Vec<Option<String>>)) -> Result<(), StoreError> {
        if self.present(&[TASK_GROUPS]).is_empty() {
            return Ok(());
        }
        let mut pending: Vec<Option<String>> = Vec::new();
        self.each_page(tx, TASK_GROUPS, 4, |rows| {
            for row in rows {
                match group_of(row) {
                    Some(group) => pending.extend(group.tasks().filter(|(id, _)| !singles.contains(*id)).map(|(_, doc)| Some(doc.to_string()))),
                    None => damaged.push(groups::UNREADABLE.into()),
                }
            }
            while pending.len() >= page {
                let rest = pending.split_off(page);
                f(std::mem::replace(&mut pending, rest));
            }
        })
        .await?;
        if !pending.is_empty() {
            f(pending);
        }
        Ok(())
    }

    /// Hands over every task's document, `page` at a time: the single values, then the grouped
    /// tasks none of them overrides. The caller's transaction spans both stores.
    async fn each_task_page(&self, tx: &Transaction<'_>, page: u32, damaged: &mut Vec<String>, mut f: impl FnMut(Vec<Option<String>>)) -> Result<(), StoreError> {
        let mut singles = HashSet::new();
        self.each_page(tx, TASKS, page, |rows| {
            singles.extend(rows.iter().filter_map(|r| with_name(key_of(TASKS), |k| Reflect::get(r, k)).ok()?.as_string()));
            f(rows.iter().map(|r| doc_of(r)).collect());
        })
        .await?;
        self.each_grouped_page(tx, &singles, page as usize, damaged, f).await
    }

    /// The stored tasks a query finds: the single values `index` holds in `range`, and the grouped
    /// tasks, not overridden by a single value, that `keep` takes. Groups have no index but ids
    /// and numbers, so a query reads every group; the app never queries (it loads), and the
    /// queries stay exact for the sync engine's tests and any later caller.
    async fn tasks_where(&self, index: &str, range: KeyRange<String>, keep: impl Fn(&Task) -> bool) -> Result<Vec<Task>, StoreError> {
        let names = self.present(&[TASKS, TASK_GROUPS]);
        let tx = self.db.transaction(names.as_slice()).build()?;
        let os = tx.object_store(TASKS)?;
        let rows = os.index(index)?.get_all::<Object>().with_query::<String, _>(range).primitive()?;
        let keys = os.get_all_keys::<String>().primitive()?;
        let mut tasks: Vec<Task> = decode_rows(TASKS, rows.await?)?;
        let singles: HashSet<String> = keys.await?.collect::<Result<_, _>>()?;
        let mut docs = Vec::new();
        let mut damaged = Vec::new();
        self.each_grouped_page(&tx, &singles, 2_000, &mut damaged, |page| docs.extend(page)).await?;
        if let Some(problem) = damaged.pop() {
            return Err(StoreError::Other(problem));
        }
        for doc in docs {
            let task: Task = encode::decode(TASKS, doc.as_deref()).map_err(StoreError::Other)?;
            if keep(&task) {
                tasks.push(task);
            }
        }
        Ok(tasks)
    }

    /// Reads the tasks from the packed copy and those written since, in one transaction, when
    /// there is a copy to read: the tasks and how many were read one by one.
    async fn read_copy(&self, damaged: &mut Vec<String>) -> Result<Option<(Vec<Task>, usize)>, StoreError> {
        if self.present(&[PACKS]).is_empty() {
            return Ok(None);
        }
        let tx = self.db.transaction([META, PACKS, TASKS].as_slice()).build()?;
        let Some(record) = PackRecord::read(self.meta_doc(&tx, packs::PACKS_KEY).await?.as_deref()) else { return Ok(None) };
        let Some(since) = record.readable() else { return Ok(None) };
        let tasks = tx.object_store(TASKS)?;
        let singly = since.keys().map(|id| tasks.get::<Object, _, _>(id.to_string()).primitive()).collect::<Result<Vec<_>, _>>()?;
        // Each pack asked for at once and decoded as it arrives, while the browser reads the next.
        let packs_store = tx.object_store(PACKS)?;
        let packed = (0..record.packs).map(|n| packs_store.get::<Object, _, _>(packs::pack_key(n)).primitive()).collect::<Result<Vec<_>, _>>()?;
        let mut docs = Vec::with_capacity(singly.len());
        for request in singly {
            docs.push(request.await?.and_then(|o| doc_of(&o)));
        }
        let mut copy = packs::CopyReader::new(packed.len(), docs.len());
        for request in packed {
            let bytes = request.await?.and_then(|p| with_name(DOC, |doc| Reflect::get(&p, doc)).ok()).and_then(|d| d.dyn_into::<js_sys::Uint8Array>().ok());
            // A pack missing or unreadable: the caller reads every task instead.
            if bytes.is_none_or(|b| copy.add(&b.to_vec()).is_err()) {
                return Ok(None);
            }
        }
        let count = docs.len();
        Ok(Some((copy.finish(&docs, damaged), count)))
    }

    async fn read_all_decoded<T: serde::de::DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, StoreError> {
        let docs = self.read_all(store).await?;
        docs.iter().map(|d| encode::decode(store, d.as_deref()).map_err(StoreError::Other)).collect()
    }

    async fn count(&self, store: &str) -> Result<usize, StoreError> {
        let tx = self.db.transaction(store).build()?;
        Ok(tx.object_store(store)?.count().primitive()?.await? as usize)
    }

    async fn meta_doc(&self, tx: &Transaction<'_>, key: &str) -> Result<Option<String>, StoreError> {
        let row: Option<Object> = tx.object_store(META)?.get(key.to_string()).primitive()?.await?;
        Ok(row.and_then(|o| doc_of(&o)))
    }

    /// Puts and deletes in one transaction.
    async fn put_all(&self, puts: &[Envelope], deletes: &[(&str, String)]) -> Result<(), StoreError> {
        let names = scope(puts.iter().map(|e| e.store).chain(deletes.iter().map(|d| d.0)));
        if names.is_empty() {
            return Ok(());
        }
        let tx = self.db.transaction(names.as_slice()).with_mode(TransactionMode::Readwrite).build()?;
        send(&tx, puts, deletes)?;
        commit(tx).await?;
        Ok(())
    }

    /// Starts the list of tasks written since the copy, unless one is kept (read and written in
    /// one transaction, so no write in between is lost from it).
    async fn start_listing(&self) -> Result<(), StoreError> {
        let tx = self.db.transaction(META).with_mode(TransactionMode::Readwrite).build()?;
        let current = PackRecord::read(self.meta_doc(&tx, packs::PACKS_KEY).await?.as_deref());
        if let Some(record) = PackRecord::listing_before_packing(current) {
            send(&tx, &[record.envelope()], &[])?;
        }
        commit(tx).await?;
        Ok(())
    }

    /// The underlying database, for listening to version changes from other tabs.
    pub fn raw(&self) -> web_sys::IdbDatabase {
        self.db.as_sys().unchecked_ref::<web_sys::IdbDatabase>().clone()
    }
}

/// Refuses a write whose new tasks would share a number with a task stored the other way:
/// grouped ones against single values, single ones against groups (IndexedDB keeps each unique
/// within its own store). A write of grouped tasks whose numbers no single value sits between
/// (a first sync, an import) makes one request for it.
async fn numbers_free(tx: &Transaction<'_>, puts: &[Envelope], grouped: &[Group], found: &Found) -> Result<(), StoreError> {
    let refuse = || StoreError::Constraint(crate::memory::UNIQUE_VIOLATION.into());
    let (numbers, store, index) = match grouped.is_empty() {
        true => {
            let new_singles = puts.iter().filter(|e| groups::is_new_task(e, found));
            (new_singles.filter_map(groups::number_of).collect::<Vec<_>>(), tx.object_store(TASK_GROUPS)?, groups::NUMBERS)
        }
        false => (groups::numbers_of(grouped.iter().flat_map(|g| g.tasks.iter())).ok_or_else(refuse)?, tx.object_store(TASKS)?, "number"),
    };
    let index = store.index(index)?;
    if !grouped.is_empty() {
        if let (Some(first), Some(last)) = (numbers.iter().min(), numbers.iter().max()) {
            let between = index.count().with_query::<String, _>(KeyRange::Bound(first.to_string(), false, last.to_string(), false)).primitive()?;
            if between.await? == 0 {
                return Ok(());
            }
        }
    }
    let lookups = numbers.iter().map(|n| index.get_key::<String, _>(n.to_string()).primitive()).collect::<Result<Vec<_>, _>>()?;
    for lookup in lookups {
        if lookup.await?.is_some() {
            return Err(refuse());
        }
    }
    Ok(())
}

fn decode_rows<T: serde::de::DeserializeOwned>(store: &str, rows: impl Iterator<Item = indexed_db_futures::Result<Object>>) -> Result<Vec<T>, StoreError> {
    let mut out = Vec::new();
    for row in rows {
        let doc = doc_of(row?.as_ref());
        out.push(encode::decode(store, doc.as_deref()).map_err(StoreError::Other)?);
    }
    Ok(out)
}

impl Store for IdbStore {
    async fn write(&self, batch: &Batch) -> Result<Written, StoreError> {
        let needs = merge::needs(batch);
        // Data written by an earlier schema (in the upgrade test) has no outbox yet.
        let names = self.present(&[TASKS, CUSTOMERS, MESSAGES, META, CHANGES, CHANGE_LOG, OUTBOX, TASK_GROUPS]);
        let grouping = names.contains(&TASK_GROUPS);
        let tx = self.db.transaction(names.as_slice()).with_mode(TransactionMode::Readwrite).build()?;
        // Every read of a round is sent before the first is awaited, so the transaction stays
        // busy (and open) until the puts below are sent from the last read's completion.
        let spans = merge::spans(&needs);
        let listings = spans
            .iter()
            .map(|s| {
                Ok(tx
                    .object_store(s.store)?
                    .get_all_keys::<String>()
                    .with_query::<String, _>(KeyRange::Bound(s.first.clone(), false, s.last.clone(), false))
                    .with_limit(s.wanted as u32 + 1)
                    .primitive()?)
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        // How many grouped tasks the batch's span of task ids holds: none, on a first sync.
        let grouped_in_span = match spans.iter().find(|s| s.store == TASKS).filter(|_| grouping) {
            Some(s) => Some(tx.object_store(TASK_GROUPS)?.index(groups::IDS)?.count().with_query::<String, _>(KeyRange::Bound(s.first.clone(), false, s.last.clone(), false)).primitive()?),
            None => None,
        };
        let sync = tx.object_store(META)?.get::<Object, _, _>(encode::SYNC_KEY.to_string()).primitive()?;
        let packed = tx.object_store(META)?.get::<Object, _, _>(packs::PACKS_KEY.to_string()).primitive()?;
        let mut listed = Vec::with_capacity(listings.len());
        for listing in listings {
            listed.push(listing.await?.collect::<Result<Vec<String>, _>>()?);
        }
        let look_in_groups = match grouped_in_span {
            Some(count) => count.await? > 0,
            None => grouping,
        };
        let to_read = merge::reads(&needs, &spans, &listed);
        let records = to_read.iter().map(|(store, key)| Ok(tx.object_store(store)?.get::<Object, _, _>(key.clone()).primitive()?)).collect::<Result<Vec<_>, StoreError>>()?;
        let group_keys = match look_in_groups {
            true => {
                let store = tx.object_store(TASK_GROUPS)?;
                let by_id = store.index(groups::IDS)?;
                needs.records.iter().filter(|(store, _)| *store == TASKS).map(|(_, id)| Ok((id, by_id.get_key::<String, _>(id.clone()).primitive()?))).collect::<Result<Vec<_>, StoreError>>()?
            }
            false => Vec::new(),
        };
        let mut found = Found::default();
        for (place, row) in to_read.into_iter().zip(records) {
            // A row without its document still exists: its changes may be stored.
            if let Some(row) = row.await? {
                found.records.insert(place, doc_of(&row).unwrap_or_default());
            }
        }
        // A task stored singly overrides its grouped copy; the others are read from their groups.
        let mut from_groups: Vec<(String, Vec<&String>)> = Vec::new();
        for (id, key) in group_keys {
            if let Some(key) = key.await?.filter(|_| !found.records.contains_key(&(TASKS, id.clone()))) {
                match from_groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, ids)) => ids.push(id),
                    None => from_groups.push((key, vec![id])),
                }
            }
        }
        let group_rows = from_groups.iter().map(|(key, _)| Ok(tx.object_store(TASK_GROUPS)?.get::<Object, _, _>(key.clone()).primitive()?)).collect::<Result<Vec<_>, StoreError>>()?;
        for ((_, ids), row) in from_groups.iter().zip(group_rows) {
            let group = row.await?.and_then(|r| group_of(&r)).ok_or_else(|| StoreError::Other(groups::UNREADABLE.into()))?;
            for id in ids {
                found.records.insert((TASKS, (*id).clone()), group.member(id).unwrap_or_default().to_string());
            }
        }
        // A stamp is known when either log holds it: the one before schema 6 by key, the one
        // after through its stamps index.
        let to_check = merge::stamps_to_check(batch, &found.records);
        let old_log = tx.object_store(CHANGES)?;
        let mut lookups = to_check.iter().map(|s| Ok((s, old_log.get_key::<String, _>(s.clone()).primitive()?))).collect::<Result<Vec<_>, StoreError>>()?;
        found.old_log = !names.contains(&CHANGE_LOG);
        let new_log = if found.old_log { None } else { Some(tx.object_store(CHANGE_LOG)?) };
        if let Some(new_log) = &new_log {
            let by_stamp = new_log.index("stamps")?;
            for s in &to_check {
                lookups.push((s, by_stamp.get_key::<String, _>(s.clone()).primitive()?));
            }
        }
        found.sync = sync.await?.and_then(|o| doc_of(&o));
        found.packs = packed.await?.and_then(|o| doc_of(&o));
        for (stamp, known) in lookups {
            if known.await?.is_some() {
                found.known.insert(stamp.clone());
            }
        }
        let (mut puts, mut written) = merge::plan(batch, &found);
        let grouped = if grouping { groups::split(&mut puts, &found) } else { Vec::new() };
        if !grouped.is_empty() {
            groups::unlist(&mut puts, &mut written);
        }
        if grouping {
            numbers_free(&tx, &puts, &grouped, &found).await?;
        }
        send(&tx, &puts, &[])?;
        if !grouped.is_empty() {
            let os = tx.object_store(TASK_GROUPS)?;
            for group in &grouped {
                drop(os.put(group_to_js(group)?).primitive()?);
            }
        }
        commit(tx).await?;
        Ok(written)
    }

    async fn load(&self) -> Result<Snapshot, StoreError> {
        let mut snap = Snapshot::default();
        match self.read_copy(&mut snap.damaged).await? {
            Some((tasks, singly)) => (snap.tasks, snap.read_singly) = (tasks, singly),
            None => {
                let tx = self.db.transaction(self.present(&[TASKS, TASK_GROUPS]).as_slice()).build()?;
                let (mut tasks, mut damaged) = (Vec::new(), Vec::new());
                self.each_task_page(&tx, 2_000, &mut damaged, |docs| tasks.extend(encode::decode_all(TASKS, docs.iter().map(Option::as_deref), &mut snap.damaged))).await?;
                snap.damaged.append(&mut damaged);
                snap.read_singly = tasks.len();
                snap.tasks = tasks;
            }
        }
        snap.customers = self.load_all(CUSTOMERS, &mut snap.damaged).await?;
        snap.messages = self.load_all(MESSAGES, &mut snap.damaged).await?;
        let tx = self.db.transaction(META).build()?;
        let rows = tx.object_store(META)?.get_all::<Object>().primitive()?.await?;
        let mut devices = Vec::new();
        for row in rows {
            let row = row?;
            let key = Reflect::get(&row, &JsValue::from_str(key_of(META))).ok().and_then(|k| k.as_string()).unwrap_or_default();
            if encode::is_device_key(&key) {
                devices.push(doc_of(&row));
            }
        }
        snap.devices = encode::latest_devices(encode::decode_all(META, devices.iter().map(Option::as_deref), &mut snap.damaged));
        let config = self.meta_doc(&tx, encode::CONFIG_KEY).await?;
        snap.config = encode::decode_optional(META, config, &mut snap.damaged);
        Ok(snap)
    }

    async fn pack(&self) -> Result<Option<usize>, StoreError> {
        if self.present(&[PACKS]).is_empty() {
            return Ok(None);
        }
        // Read every task and the bookkeeping in one transaction, a pack's worth at a time, each
        // page packed as it arrives.
        let mut attempts = 0;
        let (seen, packed, count) = loop {
            attempts += 1;
            let tx = self.db.transaction(self.present(&[META, TASKS, TASK_GROUPS]).as_slice()).build()?;
            let seen = match PackRecord::read(self.meta_doc(&tx, packs::PACKS_KEY).await?.as_deref()) {
                Some(seen) if seen.since.is_some() || attempts > 1 => seen,
                None if attempts > 1 => return Ok(None),
                // No list of what is written (data from before packs, or too much was written
                // since): start one, then read.
                _ => {
                    drop(tx);
                    self.start_listing().await?;
                    continue;
                }
            };
            let mut packed: Vec<js_sys::Uint8Array> = Vec::new();
            let (mut count, mut damaged) = (0, Vec::new());
            self.each_task_page(&tx, packs::TASKS_PER_PACK as u32, &mut damaged, |docs| {
                if docs.is_empty() {
                    return;
                }
                count += docs.len();
                packed.push(js_sys::Uint8Array::from(packs::pack_docs(docs).as_slice()));
            })
            .await?;
            // A copy without an unreadable group's tasks would hide them from every cold start
            // without a word; reading every task tells the person.
            if !damaged.is_empty() {
                return Ok(None);
            }
            break (seen, packed, count);
        };
        let tx = self.db.transaction([META, PACKS].as_slice()).with_mode(TransactionMode::Readwrite).build()?;
        let now = PackRecord::read(self.meta_doc(&tx, packs::PACKS_KEY).await?.as_deref()).unwrap_or_default();
        let Some(record) = PackRecord::packed(&seen, &now, packed.len() as u32) else {
            return Ok(None);
        };
        let store = tx.object_store(PACKS)?;
        drop(store.clear()?);
        for (n, doc) in packed.iter().enumerate().take(record.packs as usize) {
            let value = Object::new();
            let key = JsValue::from_str(&packs::pack_key(n as u32));
            with_name(key_of(PACKS), |name| Reflect::set(&value, name, &key))
                .and_then(|_| with_name(DOC, |name| Reflect::set(&value, name, doc)))
                .map_err(|_| StoreError::Other("could not build a pack".into()))?;
            drop(store.put(JsValue::from(value)).primitive()?);
        }
        send(&tx, &[record.envelope()], &[])?;
        commit(tx).await?;
        Ok(record.readable().map(|_| count))
    }

    async fn task(&self, id: TaskId) -> Result<Option<Task>, StoreError> {
        let names = self.present(&[TASKS, TASK_GROUPS]);
        let tx = self.db.transaction(names.as_slice()).build()?;
        let key = id.to_string();
        let single = tx.object_store(TASKS)?.get::<Object, _, _>(key.clone()).primitive()?;
        let grouped = match names.contains(&TASK_GROUPS) {
            true => Some(tx.object_store(TASK_GROUPS)?.index(groups::IDS)?.get::<Object, _, _>(key.clone()).primitive()?),
            false => None,
        };
        let doc = match (single.await?, grouped) {
            (Some(row), _) => doc_of(&row),
            (None, Some(grouped)) => match grouped.await? {
                Some(group) => group_of(&group).ok_or_else(|| StoreError::Other(groups::UNREADABLE.into()))?.member(&key).map(str::to_string),
                None => return Ok(None),
            },
            (None, None) => return Ok(None),
        };
        encode::decode(TASKS, doc.as_deref()).map(Some).map_err(StoreError::Other)
    }

    async fn tasks_by_status(&self, status: TaskStatus) -> Result<Vec<Task>, StoreError> {
        self.tasks_where("status", KeyRange::Only(status.key().to_string()), |t| t.status == status).await
    }

    async fn tasks_by_assignee(&self, user: UserId) -> Result<Vec<Task>, StoreError> {
        self.tasks_where("assignee", KeyRange::Only(user.to_string()), |t| t.assignee == Some(user)).await
    }

    async fn tasks_by_customer(&self, customer: CustomerId) -> Result<Vec<Task>, StoreError> {
        self.tasks_where("customer", KeyRange::Only(customer.to_string()), |t| t.customer == Some(customer)).await
    }

    async fn task_by_number(&self, number: &str) -> Result<Option<Task>, StoreError> {
        Ok(self.tasks_where("number", KeyRange::Only(number.to_string()), |t| !number.is_empty() && t.number == number).await?.pop())
    }

    async fn tasks_modified_after(&self, stamp: &Hlc) -> Result<Vec<Task>, StoreError> {
        let mut tasks = self.tasks_where("modified", KeyRange::LowerBound(stamp.to_string(), true), |t| t.modified > *stamp).await?;
        // Single values come in stamp order, grouped ones after them: one order for both.
        tasks.sort_by(|a, b| a.modified.cmp(&b.modified));
        Ok(tasks)
    }

    async fn history(&self, entity: Uuid) -> Result<Vec<Change>, StoreError> {
        let present = self.present(&schema::CHANGE_LOGS.map(|(log, _)| log));
        let tx = self.db.transaction(present.as_slice()).build()?;
        let mut requests = Vec::new();
        for (log, index) in schema::CHANGE_LOGS.into_iter().filter(|(log, _)| present.contains(log)) {
            requests.push((log, tx.object_store(log)?.index(index)?.get_all::<Object>().with_query::<String, _>(KeyRange::<String>::Only(entity.to_string())).primitive()?));
        }
        let mut changes = Vec::new();
        for (log, rows) in requests {
            for row in rows.await? {
                changes.extend(encode::logged_changes(log, doc_of(row?.as_ref()).as_deref()).map_err(StoreError::Other)?);
            }
        }
        Ok(encode::history_of(entity, changes))
    }

    async fn clear(&self) -> Result<(), StoreError> {
        let names: Vec<String> = self.db.object_store_names().collect();
        let tx = self.db.transaction(names.iter().map(String::as_str).collect::<Vec<_>>().as_slice()).with_mode(TransactionMode::Readwrite).build()?;
        for name in &names {
            drop(tx.object_store(name)?.clear()?);
        }
        commit(tx).await?;
        Ok(())
    }

    async fn outbox(&self, after: Option<&Hlc>, limit: usize) -> Result<Vec<Change>, StoreError> {
        let tx = self.db.transaction(OUTBOX).build()?;
        let os = tx.object_store(OUTBOX)?;
        let limit = limit.min(u32::MAX as usize) as u32;
        let rows = match after {
            Some(a) => os.get_all::<Object>().with_query::<String, _>(KeyRange::<String>::LowerBound(a.to_string(), true)).with_limit(limit).primitive()?.await?,
            None => os.get_all::<Object>().with_limit(limit).primitive()?.await?,
        };
        decode_rows(OUTBOX, rows)
    }

    async fn outbox_counts(&self) -> Result<(usize, usize), StoreError> {
        Ok((self.count(OUTBOX).await?, self.count(REFUSED).await?))
    }

    async fn settle(&self, accepted: &[Hlc], refused: &[Refusal]) -> Result<(), StoreError> {
        let gone: Vec<(&str, String)> = accepted.iter().chain(refused.iter().map(|r| &r.change.stamp)).map(|s| (OUTBOX, s.to_string())).collect();
        let kept: Vec<Envelope> = refused.iter().map(encode::refusal).collect();
        self.put_all(&kept, &gone).await
    }

    async fn refused(&self) -> Result<Vec<Refusal>, StoreError> {
        self.read_all_decoded(REFUSED).await
    }

    async fn retry_refused(&self) -> Result<(), StoreError> {
        let back: Vec<Refusal> = self.refused().await?;
        let gone: Vec<(&str, String)> = back.iter().map(|r| (REFUSED, r.change.stamp.to_string())).collect();
        let puts: Vec<Envelope> = back.iter().map(|r| encode::outbox_entry(&r.change)).collect();
        self.put_all(&puts, &gone).await
    }

    async fn sync_record(&self) -> Result<SyncRecord, StoreError> {
        let tx = self.db.transaction(META).build()?;
        Ok(merge::sync_record(self.meta_doc(&tx, encode::SYNC_KEY).await?.as_deref()))
    }

    async fn connect(&self, target: Option<SyncTarget>, joining: Joining) -> Result<(), StoreError> {
        let names = self.present(&[TASKS, CUSTOMERS, MESSAGES, META, CHANGES, CHANGE_LOG, OUTBOX, REFUSED, PACKS, TASK_GROUPS]);
        let tx = self.db.transaction(names.as_slice()).with_mode(TransactionMode::Readwrite).build()?;
        let stored = merge::sync_record(self.meta_doc(&tx, encode::SYNC_KEY).await?.as_deref());
        let plan = merge::connecting(target, joining, &stored);
        let mut logs = Vec::new();
        for (log, _) in schema::CHANGE_LOGS.into_iter().filter(|(l, _)| plan.refill_outbox && names.contains(l)) {
            logs.push((log, tx.object_store(log)?.get_all::<Object>().primitive()?));
        }
        let meta_rows = if plan.meta_devices_only { Some(tx.object_store(META)?.get_all_keys::<String>().primitive()?) } else { None };
        // A store opened at an older schema lacks the later stores: nothing in them to empty.
        for name in plan.emptied.iter().filter(|n| names.contains(n)) {
            drop(tx.object_store(name)?.clear()?);
        }
        let mut puts = vec![encode::sync(&plan.record)];
        if let Some(keys) = meta_rows {
            for key in keys.await? {
                let key = key?;
                if !encode::is_device_key(&key) && key != encode::SYNC_KEY {
                    drop(tx.object_store(META)?.delete(key).primitive()?);
                }
            }
        }
        for (log, rows) in logs {
            for row in rows.await? {
                if let Some(doc) = doc_of(row?.as_ref()) {
                    let changes = encode::logged_changes(log, Some(&doc)).map_err(StoreError::Other)?;
                    puts.extend(changes.iter().map(encode::outbox_entry));
                }
            }
        }
        send(&tx, &puts, &[])?;
        commit(tx).await?;
        Ok(())
    }
}

fn open_error(e: OpenDbError) -> StoreError {
    let text = e.to_string();
    match e {
        OpenDbError::Base(base) => base.into(),
        _ if text.contains("VersionError") || text.contains("less than") => StoreError::TooNew { found: 0, supported: schema::LATEST },
        _ => StoreError::Unavailable(text),
    }
}

impl StoreFactory for IdbFactory {
    type Store = IdbStore;

    async fn open(&self, name: &str, version: u32) -> Result<IdbStore, StoreError> {
        let db = Database::open(name)
            .with_version(version)
            .with_on_blocked(|_| Ok(()))
            .with_on_upgrade_needed(move |event, db| {
                let from = event.old_version() as u32;
                for def in schema::upgrade_steps(from, version) {
                    let store = db.create_object_store(def.name).with_key_path(def.key.into()).build()?;
                    for ix in def.indexes {
                        store.create_index(ix.name, ix.name.into()).with_unique(ix.unique).with_multi_entry(ix.multi_entry).build()?;
                    }
                }
                Ok(())
            })
            .await
            .map_err(open_error)?;
        Ok(IdbStore { db })
    }

    fn close(&self, store: IdbStore) {
        store.db.close();
    }

    async fn delete(&self, name: &str) -> Result<(), StoreError> {
        Database::delete_by_name(name).map_err(open_error)?.await.map_err(StoreError::from)
    }
}
