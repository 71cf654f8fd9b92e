// KlaviyoConnector: reading Klaviyo as a migration source.
#include "connectors/klaviyo/klaviyoapi.h"
#include "connectors/klaviyo/klaviyoconnector.h"
#include "connectors/klaviyo/klaviyojson.h"

#include <QJsonArray>
#include <QPromise>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

/// Lists whose member count is asked for: get_list with profile_count is limited to 1/s and
/// 15/m (K-spec get_list), so one minute's worth; the others keep contacts = -1.
constexpr int kCountedLists = 15;

QJsonObject attributesOf(const QJsonObject &resource)
{
    return resource.value(u"attributes"_s).toObject();
}

FieldType typeOf(const QJsonValue &v)
{
    if (v.isDouble())
        return FieldType::Number;
    if (v.isArray())
        return FieldType::Tags;
    if (v.isString() && KlaviyoJson::parseTime(v).isValid())
        return FieldType::Date;
    return FieldType::Text;
}

struct CountState
{
    QPromise<Result<QList<Audience>>> promise;
    QList<Audience> audiences;
    qsizetype next = 0;
};

void countMembers(const std::shared_ptr<KlaviyoApi> &api, const std::shared_ptr<CountState> &s)
{
    if (s->next >= std::min<qsizetype>(s->audiences.size(), kCountedLists)) {
        s->promise.addResult(s->audiences);
        s->promise.finish();
        return;
    }
    const qsizetype i = s->next++;
    const QUrl url = api->url(u"lists/"_s + s->audiences.at(i).id,
                              {{u"additional-fields[list]"_s, u"profile_count"_s}});
    api->call(api->request("GET", url, KlaviyoApi::Endpoint::listProfileCount()))
        .then(QtFuture::Launch::Sync, [api, s, i](Result<QJsonObject> r) {
            if (!r) {
                s->promise.addResult(r.error());
                s->promise.finish();
                return;
            }
            const QJsonValue count
                = attributesOf(r->value(u"data"_s).toObject()).value(u"profile_count"_s);
            if (count.isDouble())
                s->audiences[i].contacts = qint64(count.toDouble());
            countMembers(api, s);
        });
}

} // namespace

QFuture<Result<QList<Audience>>> KlaviyoConnector::audiences()
{
    auto api = m_api;
    const QUrl url = api->url(u"lists"_s, {{u"page[size]"_s, QString::number(maxListsPage)}});
    return api->collect(url, KlaviyoApi::Endpoint::lists())
        .then(QtFuture::Launch::Sync,
              [api](Result<QList<QJsonObject>> lists) -> QFuture<Result<QList<Audience>>> {
                  if (!lists)
                      return failed<QList<Audience>>(lists.error());
                  auto s = std::make_shared<CountState>();
                  for (const QJsonObject &l : lists.value()) {
                      const QJsonObject a = attributesOf(l);
                      Audience audience;
                      audience.id = l.value(u"id"_s).toString();
                      audience.name = a.value(u"name"_s).toString();
                      audience.created = KlaviyoJson::parseTime(a.value(u"created"_s));
                      s->audiences.append(audience);
                  }
                  s->promise.start();
                  QFuture<Result<QList<Audience>>> f = s->promise.future();
                  countMembers(api, s);
                  return f;
              })
        .unwrap();
}

QFuture<Result<QList<FieldDefinition>>> KlaviyoConnector::fields(const QString &audienceId)
{
    // No property definitions on Klaviyo (esp-apis.md 3.5): the standard attributes, then the
    // custom property names seen on the first page of profiles (of the list, when one is named).
    ContactQuery query;
    query.pageSize = maxProfilesPage;
    return mapResult(profilePage(audienceId, query),
                     [](const QJsonObject &page) -> Result<QList<FieldDefinition>> {
                         QList<FieldDefinition> out;
                         for (const QString &name : KlaviyoJson::standardAttributes()) {
                             FieldDefinition f;
                             f.key = f.label = name;
                             f.platformType = u"attribute"_s;
                             if (name == u"phone_number")
                                 f.type = FieldType::Phone;
                             else if (name == u"image")
                                 f.type = FieldType::Url;
                             else if (name == u"location.latitude" || name == u"location.longitude")
                                 f.type = FieldType::Number;
                             out.append(f);
                         }
                         QMap<QString, QJsonValue> seen; // sorted by name
                         for (const QJsonValue &p : page.value(u"data"_s).toArray()) {
                             const QJsonObject props
                                 = attributesOf(p.toObject()).value(u"properties"_s).toObject();
                             for (auto it = props.begin(); it != props.end(); ++it) {
                                 if (!seen.contains(it.key()) || seen.value(it.key()).isNull())
                                     seen.insert(it.key(), it.value());
                             }
                         }
                         for (auto it = seen.cbegin(); it != seen.cend(); ++it) {
                             FieldDefinition f;
                             f.key = f.label = it.key();
                             f.type = typeOf(it.value());
                             f.platformType = u"property"_s;
                             out.append(f);
                         }
                         return out;
                     });
}

QFuture<Result<QJsonObject>> KlaviyoConnector::profilePage(const QString &listId,
                                                           const ContactQuery &query)
{
    auto api = m_api;
    QUrl url;
    if (!query.cursor.isEmpty()) {
        url = QUrl(query.cursor); // links.next of the page before: the whole query is in it
    } else {
        const int size
            = query.pageSize <= 0 ? maxProfilesPage : std::min(query.pageSize, maxProfilesPage);
        KlaviyoApi::Query q{{u"page[size]"_s, QString::number(size)},
                            {u"additional-fields[profile]"_s, u"subscriptions"_s}};
        // get_profiles filters on updated; get_profiles_for_list does not (only joined_group_at),
        // so a list's listing is filtered here instead.
        if (query.changedSince.isValid() && listId.isEmpty())
            q.append({u"filter"_s,
                      u"greater-than(updated,%1)"_s.arg(KlaviyoJson::time(query.changedSince))});
        url = api->url(listId.isEmpty() ? u"profiles"_s : u"lists/%1/profiles"_s.arg(listId), q);
    }
    return api->call(api->request("GET", url, KlaviyoApi::Endpoint::profiles()));
}

QFuture<Result<ContactPage>> KlaviyoConnector::contacts(const QString &audienceId,
                                                        const ContactQuery &query)
{
    const QDateTime since = audienceId.isEmpty() ? QDateTime() : query.changedSince;
    return mapResult(
        profilePage(audienceId, query), [since](const QJsonObject &doc) -> Result<ContactPage> {
            ContactPage page;
            for (const QJsonValue &p : doc.value(u"data"_s).toArray()) {
                SourceContact c = KlaviyoJson::sourceContact(p.toObject());
                if (since.isValid() && c.lastChanged.isValid() && c.lastChanged <= since)
                    continue;
                page.contacts.append(c);
            }
            page.next = doc.value(u"links"_s).toObject().value(u"next"_s).toString();
            return page;
        });
}

QFuture<Result<QList<TagInfo>>> KlaviyoConnector::tags(const QString &audienceId)
{
    // Klaviyo tags belong to campaigns, flows, lists and segments, not to profiles (3.3): the
    // account's tags whatever the audience.
    Q_UNUSED(audienceId)
    auto api = m_api;
    return mapResult(api->collect(api->url(u"tags"_s, {{u"page[size]"_s, u"50"_s}}),
                                  KlaviyoApi::Endpoint::tags()),
                     [](const QList<QJsonObject> &items) -> Result<QList<TagInfo>> {
                         QList<TagInfo> out;
                         for (const QJsonObject &t : items)
                             out.append(TagInfo{t.value(u"id"_s).toString(),
                                                attributesOf(t).value(u"name"_s).toString(), -1});
                         return out;
                     });
}

QFuture<Result<QList<SegmentInfo>>> KlaviyoConnector::segments(const QString &audienceId)
{
    Q_UNUSED(audienceId) // Klaviyo segments span the account
    auto api = m_api;
    return mapResult(api->collect(api->url(u"segments"_s, {{u"page[size]"_s, u"10"_s}}),
                                  KlaviyoApi::Endpoint::segments()),
                     [](const QList<QJsonObject> &items) -> Result<QList<SegmentInfo>> {
                         QList<SegmentInfo> out;
                         for (const QJsonObject &s : items)
                             out.append(SegmentInfo{s.value(u"id"_s).toString(),
                                                    attributesOf(s).value(u"name"_s).toString(),
                                                    u"segment"_s, -1});
                         return out;
                     });
}

namespace {
TemplateInfo templateInfo(const QJsonObject &t)
{
    const QJsonObject a = attributesOf(t);
    TemplateInfo info;
    info.id = t.value(u"id"_s).toString();
    info.name = a.value(u"name"_s).toString();
    info.kind = a.value(u"editor_type"_s).toString();
    info.created = KlaviyoJson::parseTime(a.value(u"created"_s));
    info.modified = KlaviyoJson::parseTime(a.value(u"updated"_s));
    return info;
}
} // namespace

QFuture<Result<QList<TemplateInfo>>> KlaviyoConnector::templates()
{
    auto api = m_api;
    return mapResult(api->collect(api->url(u"templates"_s, {{u"page[size]"_s, u"10"_s}}),
                                  KlaviyoApi::Endpoint::templates()),
                     [](const QList<QJsonObject> &items) -> Result<QList<TemplateInfo>> {
                         QList<TemplateInfo> out;
                         for (const QJsonObject &t : items)
                             out.append(templateInfo(t));
                         return out;
                     });
}

QFuture<Result<TemplateInfo>> KlaviyoConnector::templateContent(const QString &templateId)
{
    auto api = m_api;
    const QUrl url
        = api->url(u"templates/"_s + QString::fromLatin1(QUrl::toPercentEncoding(templateId)));
    return mapResult(api->call(api->request("GET", url, KlaviyoApi::Endpoint::templates())),
                     [](const QJsonObject &doc) -> Result<TemplateInfo> {
                         const QJsonObject t = doc.value(u"data"_s).toObject();
                         TemplateInfo info = templateInfo(t);
                         info.html = attributesOf(t).value(u"html"_s).toString();
                         return info;
                     });
}

QFuture<Result<QList<CampaignInfo>>> KlaviyoConnector::campaigns(const QDateTime &since)
{
    // get_campaigns requires the channel filter (esp-apis.md 3.2). `since` is applied here to
    // the creation or send time. Reports are not read: query_campaign_values allows 2 calls a
    // minute and 225 a day and needs a conversion metric (3.1, 3.8), so hasReport stays false.
    auto api = m_api;
    const QUrl url
        = api->url(u"campaigns"_s, {{u"filter"_s, u"equals(messages.channel,'email')"_s}});
    return mapResult(api->collect(url, KlaviyoApi::Endpoint::campaigns()),
                     [since](const QList<QJsonObject> &items) -> Result<QList<CampaignInfo>> {
                         QList<CampaignInfo> out;
                         for (const QJsonObject &c : items) {
                             const QJsonObject a = attributesOf(c);
                             CampaignInfo info;
                             info.id = c.value(u"id"_s).toString();
                             info.name = a.value(u"name"_s).toString();
                             info.status = a.value(u"status"_s).toString();
                             info.sentAt = KlaviyoJson::parseTime(a.value(u"send_time"_s));
                             const QDateTime created
                                 = KlaviyoJson::parseTime(a.value(u"created_at"_s));
                             const QDateTime latest = std::max(created, info.sentAt);
                             if (since.isValid() && latest.isValid() && latest < since)
                                 continue;
                             out.append(info);
                         }
                         return out;
                     });
}

QFuture<Result<QList<AutomationInfo>>> KlaviyoConnector::automations()
{
    auto api = m_api;
    return mapResult(api->collect(api->url(u"flows"_s, {{u"page[size]"_s, u"50"_s}}),
                                  KlaviyoApi::Endpoint::flows()),
                     [](const QList<QJsonObject> &items) -> Result<QList<AutomationInfo>> {
                         QList<AutomationInfo> out;
                         for (const QJsonObject &f : items) {
                             const QJsonObject a = attributesOf(f);
                             AutomationInfo info;
                             info.id = f.value(u"id"_s).toString();
                             info.name = a.value(u"name"_s).toString();
                             info.status = a.value(u"status"_s).toString();
                             info.created = KlaviyoJson::parseTime(a.value(u"created"_s));
                             out.append(info);
                         }
                         return out;
                     });
}
