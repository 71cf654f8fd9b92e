// MailchimpConnector as a source: audiences, fields, members and the account's other assets.
#include "connectors/mailchimp/mailchimpconnector.h"

#include "connectors/mailchimp/mailchimpconnector_p.h"
#include "connectors/mailchimp/mailchimpjson.h"

using namespace Qt::StringLiterals;
using namespace MailchimpAsync;

namespace {

template<typename T, typename F>
Result<QList<T>> each(const QJsonArray &items, F fn)
{
    QList<T> out;
    out.reserve(items.size());
    for (const QJsonValue &v : items)
        out.append(fn(v.toObject()));
    return out;
}

} // namespace

SourceConnector::Features MailchimpConnector::features() const
{
    return Feature::Audiences | Feature::Contacts | Feature::Fields | Feature::Tags
           | Feature::Segments | Feature::Templates | Feature::Campaigns | Feature::Automations
           | Feature::SendingDomains | Feature::Integrations | Feature::ChangesSince;
}

QFuture<Result<QList<Audience>>> MailchimpConnector::audiences()
{
    return map(collect(u"/lists"_s, {}, u"lists"_s),
               [](QJsonArray &a) { return each<Audience>(a, MailchimpJson::audience); });
}

QFuture<Result<QList<FieldDefinition>>> MailchimpConnector::fields(const QString &audienceId)
{
    return map(collect(u"/lists/%1/merge-fields"_s.arg(audienceId), {}, u"merge_fields"_s),
               [](QJsonArray &a) { return each<FieldDefinition>(a, MailchimpJson::field); });
}

QFuture<Result<ContactPage>> MailchimpConnector::contacts(const QString &audienceId,
                                                          const ContactQuery &query)
{
    bool ok = true;
    const int offset = query.cursor.isEmpty() ? 0 : query.cursor.toInt(&ok);
    if (!ok || offset < 0)
        return Connectors::ready<ContactPage>(
            Error(tr("The position \"%1\" in the Mailchimp member listing is not valid.")
                      .arg(query.cursor)));
    const int count = query.pageSize > 0 ? std::min(query.pageSize, int(maxPageSize))
                                         : int(maxPageSize);
    QUrlQuery q;
    q.addQueryItem(u"count"_s, QString::number(count));
    q.addQueryItem(u"offset"_s, QString::number(offset));
    if (query.changedSince.isValid()) {
        // "+" must reach Mailchimp as %2B, not as a space.
        q.addQueryItem(u"since_last_changed"_s,
                       QString::fromLatin1(QUrl::toPercentEncoding(
                           MailchimpJson::timeText(query.changedSince))));
    }
    const QString path = u"/lists/%1/members"_s.arg(audienceId);
    return chain(complainedEmails(audienceId),
                 [this, path, q, offset](QSet<QString> &complained) {
                     return map(call("GET", path, q),
                                [complained, offset](QJsonObject &page) -> Result<ContactPage> {
                                    ContactPage out;
                                    const QJsonArray members
                                        = page.value(u"members"_s).toArray();
                                    for (const QJsonValue &m : members)
                                        out.contacts.append(
                                            MailchimpJson::contact(m.toObject(), complained));
                                    out.total = qint64(page.value(u"total_items"_s).toDouble(-1));
                                    const qint64 end = offset + members.size();
                                    if (!members.isEmpty() && end < out.total)
                                        out.next = QString::number(end);
                                    return out;
                                });
                 });
}

QFuture<Result<QList<TagInfo>>> MailchimpConnector::tags(const QString &audienceId)
{
    // Tags are static segments: GET /tag-search gives every tag (no paging in the document),
    // the static segments of the same ids give the member counts.
    QUrlQuery staticOnly;
    staticOnly.addQueryItem(u"type"_s, u"static"_s);
    const QString list = u"/lists/%1"_s.arg(audienceId);
    return chain(call("GET", list + u"/tag-search"_s), [this, list, staticOnly](QJsonObject &found) {
        const QJsonArray tags = found.value(u"tags"_s).toArray();
        return map(collect(list + u"/segments"_s, staticOnly, u"segments"_s),
                   [tags](QJsonArray &segments) -> Result<QList<TagInfo>> {
                       QHash<qint64, qint64> counts;
                       for (const QJsonValue &s : segments)
                           counts.insert(qint64(s.toObject().value(u"id"_s).toDouble()),
                                         qint64(s.toObject().value(u"member_count"_s).toDouble()));
                       QList<TagInfo> out;
                       for (const QJsonValue &v : tags) {
                           const qint64 id = qint64(v.toObject().value(u"id"_s).toDouble());
                           out.append({QString::number(id),
                                       v.toObject().value(u"name"_s).toString(),
                                       counts.value(id, -1)});
                       }
                       return out;
                   });
    });
}

QFuture<Result<QList<SegmentInfo>>> MailchimpConnector::segments(const QString &audienceId)
{
    return map(collect(u"/lists/%1/segments"_s.arg(audienceId), {}, u"segments"_s),
               [](QJsonArray &a) { return each<SegmentInfo>(a, MailchimpJson::segment); });
}

QFuture<Result<QList<TemplateInfo>>> MailchimpConnector::templates()
{
    return map(collect(u"/templates"_s, {}, u"templates"_s),
               [](QJsonArray &a) { return each<TemplateInfo>(a, MailchimpJson::templateInfo); });
}

QFuture<Result<TemplateInfo>> MailchimpConnector::templateContent(const QString &templateId)
{
    // GET /templates/{id} describes it; its HTML is only in /default-content ("html" section
    // for code-your-own templates, one section per editable region otherwise).
    const QString path = u"/templates/%1"_s.arg(templateId);
    return chain(call("GET", path), [this, path](QJsonObject &t) {
        const TemplateInfo info = MailchimpJson::templateInfo(t);
        return map(call("GET", path + u"/default-content"_s),
                   [info](QJsonObject &content) -> Result<TemplateInfo> {
                       TemplateInfo out = info;
                       const QJsonObject sections = content.value(u"sections"_s).toObject();
                       out.html = content.value(u"html"_s).toString();
                       if (out.html.isEmpty())
                           out.html = sections.value(u"html"_s).toString();
                       if (out.html.isEmpty()) {
                           QStringList parts;
                           for (auto it = sections.begin(); it != sections.end(); ++it)
                               parts.append(it.value().toString());
                           out.html = parts.join(u'\n');
                       }
                       return out;
                   });
    });
}

QFuture<Result<QList<CampaignInfo>>> MailchimpConnector::campaigns(const QDateTime &since)
{
    // "Sent or created since": two filtered listings joined by id (the API has no "or").
    QUrlQuery bySend, byCreate, reports;
    if (since.isValid()) {
        const QString t = MailchimpJson::timeText(since);
        bySend.addQueryItem(u"since_send_time"_s, QString::fromLatin1(QUrl::toPercentEncoding(t)));
        byCreate.addQueryItem(u"since_create_time"_s,
                              QString::fromLatin1(QUrl::toPercentEncoding(t)));
        reports = bySend;
    }
    auto createdList = since.isValid() ? collect(u"/campaigns"_s, byCreate, u"campaigns"_s)
                                       : Connectors::ready<QJsonArray>(QJsonArray());
    return chain(createdList, [this, bySend, reports](QJsonArray &created) {
        return chain(collect(u"/campaigns"_s, bySend, u"campaigns"_s),
                     [this, created, reports](QJsonArray &sent) {
                         QJsonArray all = sent;
                         QSet<QString> seen;
                         for (const QJsonValue &c : sent)
                             seen.insert(c.toObject().value(u"id"_s).toString());
                         for (const QJsonValue &c : created) {
                             if (!seen.contains(c.toObject().value(u"id"_s).toString()))
                                 all.append(c);
                         }
                         return map(collect(u"/reports"_s, reports, u"reports"_s),
                                    [all](QJsonArray &reps) -> Result<QList<CampaignInfo>> {
                                        QHash<QString, QJsonObject> byId;
                                        for (const QJsonValue &r : reps)
                                            byId.insert(r.toObject().value(u"id"_s).toString(),
                                                        r.toObject());
                                        QList<CampaignInfo> out;
                                        for (const QJsonValue &c : all) {
                                            const QJsonObject o = c.toObject();
                                            out.append(MailchimpJson::campaign(
                                                o, byId.value(o.value(u"id"_s).toString())));
                                        }
                                        return out;
                                    });
                     });
    });
}

QFuture<Result<QList<AutomationInfo>>> MailchimpConnector::automations()
{
    return map(collect(u"/automations"_s, {}, u"automations"_s),
               [](QJsonArray &a) { return each<AutomationInfo>(a, MailchimpJson::automation); });
}

QFuture<Result<QList<SendingDomainInfo>>> MailchimpConnector::sendingDomains()
{
    // The document gives /verified-domains no paging: one answer holds them all.
    return map(call("GET", u"/verified-domains"_s), [](QJsonObject &o) {
        return each<SendingDomainInfo>(o.value(u"domains"_s).toArray(),
                                       MailchimpJson::sendingDomain);
    });
}

QFuture<Result<QList<IntegrationInfo>>> MailchimpConnector::integrations()
{
    return chain(collect(u"/connected-sites"_s, {}, u"sites"_s), [this](QJsonArray &sites) {
        return map(collect(u"/ecommerce/stores"_s, {}, u"stores"_s),
                   [sites](QJsonArray &stores) -> Result<QList<IntegrationInfo>> {
                       QList<IntegrationInfo> out
                           = each<IntegrationInfo>(sites, MailchimpJson::connectedSite).value();
                       out += each<IntegrationInfo>(stores, MailchimpJson::store).value();
                       return out;
                   });
    });
}
