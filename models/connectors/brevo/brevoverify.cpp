// BrevoConnector's batch writes, second half: reading an import's contacts back. Brevo's process
// answer names no rejected row, so this decides what was written (esp-apis.md 2.4).
#include "connectors/brevo/brevoimport_p.h"

#include "connectors/brevo/brevojson.h"

#include <algorithm>

using namespace Qt::StringLiterals;
using namespace BrevoInternal;

namespace BrevoImport {
namespace {

constexpr int kVerifyPage = 500; // GET /contacts/lists/{listId}/contacts maximum
/// Contacts missing from the modifiedSince read-back that are looked up one by one; more are
/// looked for in the whole list.
constexpr qsizetype kLookupLimit = 50;

void scanList(const JobPtr &job, qint64 offset);

/// Whether a contact read back is what the chunk wrote; else why not.
std::optional<WriteFailure> check(const Chunk &chunk, const QJsonObject &contact)
{
    bool inList = false;
    for (const QJsonValue &v : contact.value(u"listIds"_s).toArray())
        inList = inList || v.toInteger() == chunk.listId;
    if (!inList)
        return WriteFailure{
            {}, u"not_written"_s, Tr::tr("Brevo did not add the contact to the list.")};
    if (chunk.blacklist && !contact.value(u"emailBlacklisted"_s).toBool())
        return WriteFailure{
            {}, u"not_blocklisted"_s, Tr::tr("Brevo did not blocklist the contact.")};
    return std::nullopt;
}

/// A contact Brevo does not have on the list after the import.
WriteFailure notImported(bool processFinished)
{
    if (processFinished)
        return {{},
                u"not_written"_s,
                Tr::tr("Brevo did not import this contact (it gives no reason; most often the "
                       "address is not valid).")};
    return {{},
            u"import_unfinished"_s,
            Tr::tr("Brevo had not finished the import when Stagecoach stopped waiting; send the "
                   "batch again.")};
}

void verifyMissing(const JobPtr &job)
{
    Chunk &chunk = job->chunks[job->chunk];
    if (job->missingAt >= job->missing.size()) {
        ++job->chunk;
        return nextChunk(job);
    }
    const QString email = job->missing.at(job->missingAt++);
    const SharedPtr &s = job->s;
    ++job->result.requests;
    const QString path
        = u"/contacts/"_s + QString::fromLatin1(QUrl::toPercentEncoding(email, "@+"));
    s->json(s->request("GET", path))
        .then([job, email, finished = chunk.finished](const Result<QJsonObject> &contact) {
            const Chunk &chunk = job->chunks.at(job->chunk);
            if (contact) {
                noteLists(job, email, contact.value());
                if (const auto failure = check(chunk, contact.value()))
                    job->failures.insert(email, *failure);
            } else if (contact.error().httpStatus == 404 || contact.error().httpStatus == 400) {
                // Not there: Brevo dropped the row (an address it does not accept, most often).
                job->failures.insert(email, notImported(finished));
            } else {
                return finishJob(job, contact.error());
            }
            verifyMissing(job);
        });
}

void verifyPage(const JobPtr &job, qint64 offset)
{
    const Chunk &chunk = job->chunks.at(job->chunk);
    const SharedPtr &s = job->s;
    QUrlQuery q;
    q.addQueryItem(u"limit"_s, QString::number(kVerifyPage));
    q.addQueryItem(u"offset"_s, QString::number(offset));
    // Newest first: the contacts this import created come on the first pages, so the read can
    // stop once it has seen every row of the chunk instead of reading every contact changed in
    // the modifiedSince window (which grows with each batch of a long transfer).
    q.addQueryItem(u"sort"_s, u"desc"_s);
    q.addQueryItem(u"modifiedSince"_s, BrevoJson::timeParameter(job->since));
    ++job->result.requests;
    s->json(s->request("GET", u"/contacts/lists/%1/contacts"_s.arg(chunk.listId), q))
        .then([job, offset](const Result<QJsonObject> &page) {
            if (!page)
                return finishJob(job, page.error());
            const QJsonArray items = page->value(u"contacts"_s).toArray();
            for (const QJsonValue &v : items) {
                const QJsonObject o = v.toObject();
                const QString email = o.value(u"email"_s).toString().toLower();
                job->seen.insert(email, o);
                noteLists(job, email, o);
            }
            const qint64 count = page->value(u"count"_s).toInteger(-1);
            const qint64 next = offset + items.size();
            const Chunk &chunk = job->chunks.at(job->chunk);
            const bool allSeen = std::all_of(chunk.emails.cbegin(), chunk.emails.cend(),
                                             [&job](const QString &e) { return job->seen.contains(e); });
            if (!allSeen && items.size() == kVerifyPage && (count < 0 || next < count))
                return verifyPage(job, next);
            for (const QString &email : chunk.emails) {
                const auto it = job->seen.constFind(email);
                if (it == job->seen.cend()) {
                    // Unchanged contacts may keep an older modifiedAt: looked for below.
                    job->missing.append(email);
                } else if (const auto failure = check(chunk, *it)) {
                    job->failures.insert(email, *failure);
                }
            }
            // A few are asked for by address; many (a batch sent again) by reading the whole
            // list, which costs one request per 500 instead of one each.
            if (job->missing.size() > kLookupLimit)
                return scanList(job, 0);
            verifyMissing(job);
        });
}

void scanList(const JobPtr &job, qint64 offset)
{
    const Chunk &chunk = job->chunks.at(job->chunk);
    const SharedPtr &s = job->s;
    QUrlQuery q;
    q.addQueryItem(u"limit"_s, QString::number(kVerifyPage));
    q.addQueryItem(u"offset"_s, QString::number(offset));
    q.addQueryItem(u"sort"_s, u"asc"_s);
    ++job->result.requests;
    s->json(s->request("GET", u"/contacts/lists/%1/contacts"_s.arg(chunk.listId), q))
        .then([job, offset](const Result<QJsonObject> &page) {
            if (!page)
                return finishJob(job, page.error());
            const Chunk &chunk = job->chunks.at(job->chunk);
            const QJsonArray items = page->value(u"contacts"_s).toArray();
            for (const QJsonValue &v : items) {
                const QJsonObject o = v.toObject();
                const QString email = o.value(u"email"_s).toString().toLower();
                if (!job->missing.removeOne(email))
                    continue;
                noteLists(job, email, o);
                if (const auto failure = check(chunk, o))
                    job->failures.insert(email, *failure);
            }
            const qint64 count = page->value(u"count"_s).toInteger(-1);
            const qint64 next = offset + items.size();
            if (!job->missing.isEmpty() && items.size() == kVerifyPage
                && (count < 0 || next < count))
                return scanList(job, next);
            // Not on the list at all: not written (asked for by address when few).
            if (job->missing.size() > kLookupLimit) {
                for (const QString &email : std::as_const(job->missing))
                    job->failures.insert(email, notImported(chunk.finished));
                job->missing.clear();
            }
            verifyMissing(job);
        });
}

} // namespace

void noteLists(const JobPtr &job, const QString &email, const QJsonObject &contact)
{
    QSet<qint64> &lists = job->listsOf[email];
    for (const QJsonValue &v : contact.value(u"listIds"_s).toArray())
        lists.insert(v.toInteger());
}

void verify(const JobPtr &job)
{
    verifyPage(job, 0);
}

} // namespace BrevoImport
