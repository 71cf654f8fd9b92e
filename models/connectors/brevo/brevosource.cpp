// BrevoConnector as a source: lists, attributes, contacts, segments, templates, campaigns,
// sending domains (esp-apis.md 2.2, 2.3, 2.7, 2.8).
#include "connectors/brevo/brevoconnector.h"

#include "connectors/brevo/brevojson.h"

using namespace Qt::StringLiterals;

namespace {

using SharedPtr = std::shared_ptr<BrevoConnector::Shared>;

constexpr int kListsPage = 50;         // GET /contacts/lists, /contacts/segments maximum
constexpr int kContactsPage = 1000;    // GET /contacts maximum
constexpr int kListContactsPage = 500; // GET /contacts/lists/{listId}/contacts maximum
constexpr int kTemplatesPage = 1000;   // GET /smtp/templates maximum
constexpr int kCampaignsPage = 100;    // GET /emailCampaigns maximum
constexpr int kBlockedPage = 100;      // GET /smtp/blockedContacts maximum

template<typename T>
QFuture<Result<QList<T>>> mapArray(QFuture<Result<QJsonArray>> future,
                                   T (*convert)(const QJsonObject &))
{
    return future.then([convert](const Result<QJsonArray> &items) -> Result<QList<T>> {
        if (!items)
            return items.error();
        QList<T> out;
        out.reserve(items->size());
        for (const QJsonValue &v : items.value())
            out.append(convert(v.toObject()));
        return out;
    });
}

Error badId(const QString &what, const QString &id)
{
    struct Tr
    {
        Q_DECLARE_TR_FUNCTIONS(BrevoConnector)
    };
    return Error(Tr::tr("\"%1\" is not a Brevo %2 id.").arg(id, what));
}

/// The blocklist's reason per address, read once per connector (GET /smtp/blockedContacts).
QFuture<Result<QHash<QString, QString>>> blockedReasons(const SharedPtr &s)
{
    {
        QMutexLocker lock(&s->mutex);
        if (s->blocked)
            return Connectors::ready(Result<QHash<QString, QString>>(*s->blocked));
    }
    return s->collect(u"/smtp/blockedContacts"_s, {}, u"contacts"_s, kBlockedPage)
        .then([s](const Result<QJsonArray> &items) -> Result<QHash<QString, QString>> {
            if (!items)
                return items.error();
            QHash<QString, QString> reasons;
            for (const QJsonValue &v : items.value()) {
                const QJsonObject o = v.toObject();
                const QString email = o.value(u"email"_s).toString().toLower();
                const QString code = o.value(u"reason"_s).toObject().value(u"code"_s).toString();
                // A bounce or complaint outranks an unsubscribe of the same address.
                if (!reasons.contains(email) || code == u"hardBounce"
                    || code == u"contactFlaggedAsSpam")
                    reasons.insert(email, code);
            }
            QMutexLocker lock(&s->mutex);
            s->blocked = reasons;
            return reasons;
        });
}

} // namespace

QFuture<Result<QList<Audience>>> BrevoConnector::audiences()
{
    return mapArray<Audience>(m_shared->collect(u"/contacts/lists"_s, {}, u"lists"_s, kListsPage),
                              &BrevoJson::audience);
}

QFuture<Result<QList<FieldDefinition>>> BrevoConnector::fields(const QString &)
{
    // Attributes belong to the account, not to a list; only the normal category holds contact
    // data (transactional/calculated/global ones are not per-contact values one migrates).
    return m_shared->json(m_shared->request("GET", u"/contacts/attributes"_s))
        .then([](const Result<QJsonObject> &answer) -> Result<QList<FieldDefinition>> {
            if (!answer)
                return answer.error();
            QList<FieldDefinition> out;
            for (const QJsonValue &v : answer->value(u"attributes"_s).toArray()) {
                const QJsonObject a = v.toObject();
                const QString category = a.value(u"category"_s).toString();
                if (category != u"normal" && category != u"category")
                    continue;
                out.append(BrevoJson::field(a));
            }
            return out;
        });
}

QFuture<Result<ContactPage>> BrevoConnector::contacts(const QString &audienceId,
                                                      const ContactQuery &query)
{
    bool ok = true;
    const qint64 listId = audienceId.isEmpty() ? 0 : audienceId.toLongLong(&ok);
    if (!ok || listId < 0)
        return Connectors::ready(Result<ContactPage>(badId(tr("list"), audienceId)));
    const qint64 offset = query.cursor.isEmpty() ? 0 : query.cursor.toLongLong(&ok);
    if (!ok || offset < 0)
        return Connectors::ready(Result<ContactPage>(Error(tr("The page cursor is not valid."))));
    const int largest = listId > 0 ? kListContactsPage : kContactsPage;
    const int limit = query.pageSize > 0 ? std::min(query.pageSize, largest) : largest;
    QUrlQuery q;
    q.addQueryItem(u"limit"_s, QString::number(limit));
    q.addQueryItem(u"offset"_s, QString::number(offset));
    // Oldest first: contacts created while paging land after the pages already read.
    q.addQueryItem(u"sort"_s, u"asc"_s);
    if (query.changedSince.isValid())
        q.addQueryItem(u"modifiedSince"_s, BrevoJson::timeParameter(query.changedSince));
    const QString path = listId > 0 ? u"/contacts/lists/%1/contacts"_s.arg(listId) : u"/contacts"_s;
    SharedPtr s = m_shared;
    return s->json(s->request("GET", path, q))
        .then([s, listId, offset,
               limit](const Result<QJsonObject> &answer) -> QFuture<Result<ContactPage>> {
            if (!answer)
                return Connectors::ready(Result<ContactPage>(answer.error()));
            const QJsonObject page = answer.value();
            const QJsonArray items = page.value(u"contacts"_s).toArray();
            const auto build = [page, items, listId, offset,
                                limit](const QHash<QString, QString> &blocked) {
                ContactPage out;
                for (const QJsonValue &v : items)
                    out.contacts.append(BrevoJson::sourceContact(v.toObject(), listId, blocked));
                out.total = page.value(u"count"_s).toInteger(-1);
                const qint64 next = offset + items.size();
                if (items.size() == limit && (out.total < 0 || next < out.total))
                    out.next = QString::number(next);
                return out;
            };
            const bool anyBlacklisted
                = std::any_of(items.begin(), items.end(), [](const QJsonValue &v) {
                      return v.toObject().value(u"emailBlacklisted"_s).toBool();
                  });
            if (!anyBlacklisted)
                return Connectors::ready(Result<ContactPage>(build({})));
            // Only a blocklisted contact needs the blocklist's reason: read it once, then.
            return blockedReasons(s).then(
                [build](const Result<QHash<QString, QString>> &blocked) -> Result<ContactPage> {
                    if (!blocked)
                        return blocked.error();
                    return build(blocked.value());
                });
        })
        .unwrap();
}

QFuture<Result<QList<SegmentInfo>>> BrevoConnector::segments(const QString &)
{
    return mapArray<SegmentInfo>(
        m_shared->collect(u"/contacts/segments"_s, {}, u"segments"_s, kListsPage),
        &BrevoJson::segment);
}

QFuture<Result<QList<TemplateInfo>>> BrevoConnector::templates()
{
    QUrlQuery q;
    q.addQueryItem(u"sort"_s, u"asc"_s);
    return mapArray<TemplateInfo>(
        m_shared->collect(u"/smtp/templates"_s, q, u"templates"_s, kTemplatesPage),
        &BrevoJson::templateInfo);
}

QFuture<Result<TemplateInfo>> BrevoConnector::templateContent(const QString &templateId)
{
    bool ok = false;
    const qint64 id = templateId.toLongLong(&ok);
    if (!ok || id <= 0)
        return Connectors::ready(Result<TemplateInfo>(badId(tr("template"), templateId)));
    return m_shared->json(m_shared->request("GET", u"/smtp/templates/%1"_s.arg(id)))
        .then([](const Result<QJsonObject> &answer) -> Result<TemplateInfo> {
            if (!answer)
                return answer.error();
            TemplateInfo info = BrevoJson::templateInfo(answer.value());
            info.html = answer->value(u"htmlContent"_s).toString();
            return info;
        });
}

QFuture<Result<QList<CampaignInfo>>> BrevoConnector::campaigns(const QDateTime &since)
{
    QUrlQuery q;
    // globalStats only covers the last six months (getEmailCampaigns.statistics); older
    // campaigns come with empty statistics and hasReport false.
    q.addQueryItem(u"statistics"_s, u"globalStats"_s);
    q.addQueryItem(u"excludeHtmlContent"_s, u"true"_s);
    q.addQueryItem(u"sort"_s, u"asc"_s);
    return m_shared->collect(u"/emailCampaigns"_s, q, u"campaigns"_s, kCampaignsPage)
        .then([since](const Result<QJsonArray> &items) -> Result<QList<CampaignInfo>> {
            if (!items)
                return items.error();
            QList<CampaignInfo> out;
            for (const QJsonValue &v : items.value()) {
                const QJsonObject o = v.toObject();
                CampaignInfo c = BrevoJson::campaign(o);
                const QDateTime when
                    = c.sentAt.isValid() ? c.sentAt : BrevoJson::time(o.value(u"createdAt"_s));
                if (since.isValid() && when.isValid() && when < since)
                    continue;
                out.append(c);
            }
            return out;
        });
}

QFuture<Result<QList<SendingDomainInfo>>> BrevoConnector::sendingDomains()
{
    return m_shared->json(m_shared->request("GET", u"/senders/domains"_s))
        .then([](const Result<QJsonObject> &answer) -> Result<QList<SendingDomainInfo>> {
            if (!answer)
                return answer.error();
            QList<SendingDomainInfo> out;
            for (const QJsonValue &v : answer->value(u"domains"_s).toArray())
                out.append(BrevoJson::domain(v.toObject()));
            return out;
        });
}
