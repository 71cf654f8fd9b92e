// KlaviyoConnector: lists, templates and reading back as a migration target. The contact writes
// are in klaviyowriter.cpp.
#include "connectors/klaviyo/klaviyoapi.h"
#include "connectors/klaviyo/klaviyoconnector.h"
#include "connectors/klaviyo/klaviyojson.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace {

/// The first resource of `items` whose attributes.name is exactly `name`.
std::optional<QJsonObject> byName(const QList<QJsonObject> &items, const QString &name)
{
    for (const QJsonObject &item : items) {
        if (item.value(u"attributes"_s).toObject().value(u"name"_s).toString() == name)
            return item;
    }
    return std::nullopt;
}

TargetContactRecord record(const QJsonObject &profile, const QString &listId)
{
    TargetContactRecord r;
    r.email = profile.value(u"attributes"_s).toObject().value(u"email"_s).toString();
    r.state = KlaviyoJson::targetState(profile, listId);
    r.fields = KlaviyoJson::fields(profile);
    for (const QJsonValue &t : profile.value(u"attributes"_s)
                                   .toObject()
                                   .value(u"properties"_s)
                                   .toObject()
                                   .value(u"tags"_s)
                                   .toArray())
        r.tags.append(t.toString());
    return r;
}

} // namespace

QFuture<Result<EnsuredItem>> KlaviyoConnector::ensureList(const QString &name)
{
    auto api = m_api;
    const QUrl find = api->url(
        u"lists"_s, {{u"filter"_s, u"equals(name,%1)"_s.arg(KlaviyoJson::quoted(name))}});
    return api->collect(find, KlaviyoApi::Endpoint::lists())
        .then(QtFuture::Launch::Sync,
              [api, name](Result<QList<QJsonObject>> found) -> QFuture<Result<EnsuredItem>> {
                  if (!found)
                      return failed<EnsuredItem>(found.error());
                  if (const auto list = byName(found.value(), name))
                      return Connectors::ready<EnsuredItem>(
                          EnsuredItem{list->value(u"id"_s).toString(), name, false});
                  // Single opt-in: the list itself must never be the reason for a
                  // confirmation mail (subscribes are historical imports anyway).
                  const QJsonObject body{
                      {u"data"_s,
                       QJsonObject{{u"type"_s, u"list"_s},
                                   {u"attributes"_s,
                                    QJsonObject{{u"name"_s, name},
                                                {u"opt_in_process"_s, u"single_opt_in"_s}}}}}};
                  return mapResult(
                      api->call(api->request("POST", api->url(u"lists"_s),
                                             KlaviyoApi::Endpoint::createList(), body)),
                      [name](const QJsonObject &doc) -> Result<EnsuredItem> {
                          const QString id
                              = doc.value(u"data"_s).toObject().value(u"id"_s).toString();
                          if (id.isEmpty())
                              return Error(tr("Klaviyo created the list \"%1\" "
                                              "without saying its id.")
                                               .arg(name),
                                           u"POST /api/lists"_s);
                          return EnsuredItem{id, name, true};
                      });
              })
        .unwrap();
}

QFuture<Result<EnsuredItem>> KlaviyoConnector::writeTemplate(const TemplateContent &content)
{
    auto api = m_api;
    const QUrl find
        = api->url(u"templates"_s,
                   {{u"filter"_s, u"equals(name,%1)"_s.arg(KlaviyoJson::quoted(content.name))}});
    return api->collect(find, KlaviyoApi::Endpoint::templates())
        .then(QtFuture::Launch::Sync,
              [api, content](Result<QList<QJsonObject>> found) -> QFuture<Result<EnsuredItem>> {
                  if (!found)
                      return failed<EnsuredItem>(found.error());
                  if (const auto t = byName(found.value(), content.name))
                      return Connectors::ready<EnsuredItem>(
                          EnsuredItem{t->value(u"id"_s).toString(), content.name, false});
                  const QJsonObject body{
                      {u"data"_s,
                       QJsonObject{{u"type"_s, u"template"_s},
                                   {u"attributes"_s, QJsonObject{{u"name"_s, content.name},
                                                                 {u"editor_type"_s, u"CODE"_s},
                                                                 {u"html"_s, content.html}}}}}};
                  return mapResult(
                      api->call(api->request("POST", api->url(u"templates"_s),
                                             KlaviyoApi::Endpoint::templates(), body)),
                      [content](const QJsonObject &doc) -> Result<EnsuredItem> {
                          const QString id
                              = doc.value(u"data"_s).toObject().value(u"id"_s).toString();
                          if (id.isEmpty())
                              return Error(tr("Klaviyo created the template \"%1\" without "
                                              "saying its id.")
                                               .arg(content.name),
                                           u"POST /api/templates"_s);
                          return EnsuredItem{id, content.name, true};
                      });
              })
        .unwrap();
}

QFuture<Result<TargetContactPage>> KlaviyoConnector::readContacts(const QString &listId,
                                                                  const ContactQuery &query)
{
    return mapResult(profilePage(listId, query),
                     [listId](const QJsonObject &doc) -> Result<TargetContactPage> {
                         TargetContactPage page;
                         for (const QJsonValue &p : doc.value(u"data"_s).toArray())
                             page.contacts.append(record(p.toObject(), listId));
                         page.next = doc.value(u"links"_s).toObject().value(u"next"_s).toString();
                         return page;
                     });
}

QFuture<Result<QHash<ContactStatus, qint64>>>
KlaviyoConnector::countsByStatus(const QString &listId)
{
    auto api = m_api;
    const KlaviyoApi::Query q{{u"page[size]"_s, QString::number(maxProfilesPage)},
                              {u"additional-fields[profile]"_s, u"subscriptions"_s}};
    const QUrl url
        = api->url(listId.isEmpty() ? u"profiles"_s : u"lists/%1/profiles"_s.arg(listId), q);
    return mapResult(
        api->collect(url, KlaviyoApi::Endpoint::profiles()),
        [listId](const QList<QJsonObject> &profiles) -> Result<QHash<ContactStatus, qint64>> {
            QHash<ContactStatus, qint64> counts;
            for (const QJsonObject &p : profiles)
                ++counts[ConsentMapping::statusOnTarget(KlaviyoJson::targetState(p, listId))];
            return counts;
        });
}

QFuture<Result<BatchResult>>
KlaviyoConnector::writeSuppressions(const QString &listId, const QList<TargetContact> &contacts)
{
    return write(listId, contacts, true);
}

QFuture<Result<BatchResult>> KlaviyoConnector::upsertContacts(const QString &listId,
                                                              const QList<TargetContact> &contacts)
{
    return write(listId, contacts, false);
}
