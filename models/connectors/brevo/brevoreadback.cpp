// BrevoConnector as a target: reading the written contacts back, the marketing list's and then
// the holding list's, for verification and the counts per status.
#include "connectors/brevo/brevoconnector_p.h"

#include "connectors/brevo/brevojson.h"

#include <QPromise>

using namespace Qt::StringLiterals;
using namespace BrevoInternal;

namespace {

constexpr int kListContactsPage = 500; // GET /contacts/lists/{listId}/contacts maximum

/// Reads a page of the list's contacts; `since` invalid: all of them.
QFuture<Result<QJsonObject>> listContacts(const SharedPtr &s, qint64 listId, qint64 offset,
                                          int limit, const QDateTime &since)
{
    QUrlQuery q;
    q.addQueryItem(u"limit"_s, QString::number(limit));
    q.addQueryItem(u"offset"_s, QString::number(offset));
    q.addQueryItem(u"sort"_s, u"asc"_s);
    if (since.isValid())
        q.addQueryItem(u"modifiedSince"_s, BrevoJson::timeParameter(since));
    return s->json(s->request("GET", u"/contacts/lists/%1/contacts"_s.arg(listId), q));
}

/**
 * One page of the marketing list's contacts, then of the holding list's (those not also in the
 * marketing list). Cursor: "m<offset>" or "h<offset>".
 */
QFuture<Result<TargetContactPage>> readPage(const SharedPtr &s, qint64 listId,
                                            const ContactQuery &query)
{
    const bool holdingPhase = query.cursor.startsWith(u'h');
    bool ok = true;
    const qint64 offset = query.cursor.isEmpty() ? 0 : query.cursor.mid(1).toLongLong(&ok);
    if (!ok || offset < 0
        || (!query.cursor.isEmpty() && !query.cursor.startsWith(u'm') && !holdingPhase))
        return Connectors::ready(
            Result<TargetContactPage>(Error(Tr::tr("The page cursor is not valid."))));
    const int limit
        = query.pageSize > 0 ? std::min(query.pageSize, kListContactsPage) : kListContactsPage;
    const QDateTime since = query.changedSince;
    return holdingList(s, listId, false)
        .then([s, listId, holdingPhase, offset, limit,
               since](const Result<qint64> &holding) -> QFuture<Result<TargetContactPage>> {
            if (!holding)
                return Connectors::ready(Result<TargetContactPage>(holding.error()));
            const qint64 holdingId = holding.value();
            const qint64 read = holdingPhase ? holdingId : listId;
            if (read == 0) // no holding list: nothing more to read
                return Connectors::ready(Result<TargetContactPage>(TargetContactPage()));
            return listContacts(s, read, offset, limit, since)
                .then([listId, holdingPhase, holdingId, offset,
                       limit](const Result<QJsonObject> &answer) -> Result<TargetContactPage> {
                    if (!answer)
                        return answer.error();
                    const QJsonArray items = answer->value(u"contacts"_s).toArray();
                    const qint64 count = answer->value(u"count"_s).toInteger(-1);
                    TargetContactPage page;
                    for (const QJsonValue &v : items) {
                        TargetContactRecord r = BrevoJson::targetRecord(v.toObject(), listId);
                        if (holdingPhase && r.state.brevoInMarketingList)
                            continue; // already read with the marketing list
                        page.contacts.append(r);
                    }
                    const qint64 next = offset + items.size();
                    if (items.size() == limit && (count < 0 || next < count))
                        page.next = (holdingPhase ? u"h"_s : u"m"_s) + QString::number(next);
                    else if (!holdingPhase && holdingId != 0)
                        page.next = u"h0"_s;
                    return page;
                });
        })
        .unwrap();
}

struct CountState
{
    QPromise<Result<QHash<ContactStatus, qint64>>> promise;
    QHash<ContactStatus, qint64> counts;
};

void countFrom(const SharedPtr &s, qint64 listId, const std::shared_ptr<CountState> &st,
               const QString &cursor)
{
    ContactQuery q;
    q.cursor = cursor;
    readPage(s, listId, q).then([s, listId, st](const Result<TargetContactPage> &page) {
        if (!page) {
            st->promise.addResult(page.error());
            st->promise.finish();
            return;
        }
        for (const TargetContactRecord &r : page->contacts)
            ++st->counts[ConsentMapping::statusOnTarget(r.state)];
        if (page->next.isEmpty()) {
            st->promise.addResult(st->counts);
            st->promise.finish();
            return;
        }
        countFrom(s, listId, st, page->next);
    });
}

} // namespace

QFuture<Result<TargetContactPage>> BrevoConnector::readContacts(const QString &listId,
                                                                const ContactQuery &query)
{
    const Result<qint64> id = BrevoInternal::listId(listId);
    if (!id)
        return Connectors::ready(Result<TargetContactPage>(id.error()));
    return readPage(m_shared, id.value(), query);
}

QFuture<Result<QHash<ContactStatus, qint64>>> BrevoConnector::countsByStatus(const QString &listId)
{
    const Result<qint64> id = BrevoInternal::listId(listId);
    if (!id)
        return Connectors::ready(Result<QHash<ContactStatus, qint64>>(id.error()));
    auto st = std::make_shared<CountState>();
    st->promise.start();
    QFuture<Result<QHash<ContactStatus, qint64>>> future = st->promise.future();
    countFrom(m_shared, id.value(), st, {});
    return future;
}
