// MailchimpSandbox: creating audiences and merge fields; abuse reports, tags and segments.
#include "sandbox/mailchimpsandbox.h"

#include "sandbox/mailchimpsandbox_p.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;
using namespace MailchimpSandboxDetail;

namespace {

SandboxResponse json(const QJsonObject &body)
{
    return SandboxResponse::fromJson(body);
}

} // namespace

std::optional<SandboxResponse> MailchimpSandbox::routeListExtras(MailchimpList &list,
                                                                 const QStringList &parts,
                                                                 const SandboxRequest &request)
{
    if (request.method == "POST" && parts.size() >= 3 && parts.size() <= 4
        && parts.at(2) == u"segments")
        return parts.size() == 3 ? createSegment(list, request)
                                 : addToStaticSegment(list, parts.at(3), request);
    if (parts.size() != 3 || request.method != "GET")
        return std::nullopt;
    const Window window(request.query);
    if (!window.error.isEmpty())
        return problem(400, u"Invalid Resource"_s, window.error);
    const QString what = parts.at(2);
    if (what == u"abuse-reports") {
        QJsonArray all;
        for (const MailchimpAbuseReport &r : std::as_const(list.abuseReports))
            all.append(QJsonObject{{u"id"_s, r.id},
                                   {u"campaign_id"_s, r.campaignId},
                                   {u"list_id"_s, list.id},
                                   {u"email_id"_s, subscriberHash(r.email)},
                                   {u"email_address"_s, r.email},
                                   {u"vip"_s, false},
                                   {u"date"_s, time(r.date)}});
        return json({{u"abuse_reports"_s, window.of(all)},
                     {u"list_id"_s, list.id},
                     {u"total_items"_s, int(all.size())}});
    }
    // Tags in id order; tag-search has no paging in the document (a name prefix filter only).
    QList<std::pair<int, QString>> tags;
    for (auto it = list.tagIds.cbegin(); it != list.tagIds.cend(); ++it)
        tags.append({it.value(), it.key()});
    std::sort(tags.begin(), tags.end());
    if (what == u"tag-search") {
        const QString prefix = request.query.queryItemValue(u"name"_s, QUrl::FullyDecoded);
        QJsonArray found;
        for (const auto &[id, name] : std::as_const(tags)) {
            if (name.startsWith(prefix, Qt::CaseInsensitive))
                found.append(QJsonObject{{u"id"_s, id}, {u"name"_s, name}});
        }
        return json({{u"tags"_s, found}, {u"total_items"_s, int(found.size())}});
    }
    if (what != u"segments")
        return std::nullopt;
    const QString type = request.query.queryItemValue(u"type"_s);
    if (!type.isEmpty() && type != u"saved" && type != u"static" && type != u"fuzzy")
        return problem(400, u"Invalid Resource"_s, u"type must be saved, static or fuzzy."_s);
    QJsonArray all;
    if (type.isEmpty() || type == u"static") {
        for (const auto &[id, name] : std::as_const(tags))
            all.append(staticSegmentJson(list, id, name));
    }
    if (type.isEmpty() || type == u"saved") {
        for (const MailchimpSegment &s : std::as_const(list.segments))
            all.append(QJsonObject{
                {u"id"_s, s.id},
                {u"name"_s, s.name},
                {u"member_count"_s, s.memberCount},
                {u"type"_s, u"saved"_s},
                {u"created_at"_s, time(s.created)},
                {u"updated_at"_s, time(s.created)},
                {u"options"_s, QJsonObject{{u"match"_s, u"any"_s}, {u"conditions"_s, QJsonArray()}}},
                {u"list_id"_s, list.id}});
    }
    return json({{u"segments"_s, window.of(all)},
                 {u"list_id"_s, list.id},
                 {u"total_items"_s, int(all.size())}});
}

QJsonObject MailchimpSandbox::staticSegmentJson(const MailchimpList &list, int id,
                                               const QString &name) const
{
    int members = 0;
    for (const MailchimpMember &m : list.members)
        members += m.tags.contains(name);
    return {{u"id"_s, id},
            {u"name"_s, name},
            {u"member_count"_s, members},
            {u"type"_s, u"static"_s},
            {u"created_at"_s, time(list.dateCreated)},
            {u"updated_at"_s, time(list.dateCreated)},
            {u"list_id"_s, list.id}};
}

SandboxResponse MailchimpSandbox::createSegment(MailchimpList &list, const SandboxRequest &request)
{
    // Only static segments (tags): the sandbox evaluates no conditions.
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString name = body.value(u"name"_s).toString().trimmed();
    if (name.isEmpty() || !body.value(u"static_segment"_s).isArray())
        return problem(400, u"Invalid Resource"_s,
                       u"name is required; the sandbox creates static segments only "
                       "(static_segment)."_s);
    if (list.tagIds.contains(name))
        return problem(400, u"Invalid Resource"_s,
                       u"A segment named \"%1\" already exists."_s.arg(name));
    const int id = int(list.tagIds.size()) + 1;
    list.tagIds.insert(name, id);
    for (const QJsonValue &e : body.value(u"static_segment"_s).toArray()) {
        const auto it = list.memberIndex.constFind(subscriberHash(e.toString().trimmed()));
        if (it != list.memberIndex.cend() && !list.members[*it].tags.contains(name))
            list.members[*it].tags.append(name);
    }
    return json(staticSegmentJson(list, id, name));
}

SandboxResponse MailchimpSandbox::addToStaticSegment(MailchimpList &list, const QString &segmentId,
                                                     const SandboxRequest &request)
{
    QString name;
    for (auto it = list.tagIds.cbegin(); it != list.tagIds.cend(); ++it) {
        if (QString::number(it.value()) == segmentId)
            name = it.key();
    }
    if (name.isEmpty())
        return problem(404, u"Resource Not Found"_s,
                       u"The requested resource could not be found."_s);
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QJsonArray add = body.value(u"members_to_add"_s).toArray();
    const QJsonArray remove = body.value(u"members_to_remove"_s).toArray();
    if (add.size() > maxBatchMembers || remove.size() > maxBatchMembers)
        return problem(400, u"Invalid Resource"_s,
                       u"Up to %1 members may be added or removed with each call."_s.arg(
                           maxBatchMembers));
    // The members are written straight into the answer (memberDocument, with the hash they
    // were found by, which is subscriberHash of their address); the rest as json() would.
    QByteArray added, removed;
    int addedCount = 0, removedCount = 0;
    QJsonArray notMembers;
    for (const auto &[items, adding] : {std::pair{&add, true}, std::pair{&remove, false}}) {
        for (const QJsonValue &e : *items) {
            const auto it = list.memberIndex.constFind(subscriberHash(e.toString().trimmed()));
            if (it == list.memberIndex.cend()) {
                notMembers.append(e.toString());
                continue;
            }
            MailchimpMember &m = list.members[*it];
            // Adding a member who has the tag already is not an error; it is not "added" either.
            QByteArray *to = nullptr;
            if (adding && !m.tags.contains(name)) {
                m.tags.append(name);
                to = &added;
                ++addedCount;
            } else if (!adding && m.tags.removeAll(name) > 0) {
                to = &removed;
                ++removedCount;
            }
            if (to) {
                if (!to->isEmpty())
                    *to += ',';
                appendMemberDocument(*to, list, m, it.key());
            }
        }
    }
    QJsonArray errors;
    if (!notMembers.isEmpty())
        errors.append(QJsonObject{{u"email_addresses"_s, notMembers},
                                  {u"error"_s, u"Email addresses are not subscribed to the list."_s}});
    SandboxResponse r = json({});
    r.body = "{\"error_count\":" + QByteArray::number(int(notMembers.size()))
             + ",\"errors\":" + QJsonDocument(errors).toJson(QJsonDocument::Compact)
             + ",\"members_added\":[" + added + "],\"members_removed\":[" + removed
             + "],\"total_added\":" + QByteArray::number(addedCount)
             + ",\"total_removed\":" + QByteArray::number(removedCount) + '}';
    return r;
}

SandboxResponse MailchimpSandbox::createList(const SandboxRequest &request)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QJsonObject contact = body.value(u"contact"_s).toObject();
    const QJsonObject defaults = body.value(u"campaign_defaults"_s).toObject();
    // The document's required properties (Subscriber_List_1).
    QStringList missing;
    for (const QString &key : {u"name"_s, u"permission_reminder"_s})
        if (body.value(key).toString().trimmed().isEmpty())
            missing.append(key);
    if (!body.value(u"email_type_option"_s).isBool())
        missing.append(u"email_type_option"_s);
    for (const QString &key : {u"company"_s, u"address1"_s, u"city"_s, u"country"_s})
        if (contact.value(key).toString().trimmed().isEmpty())
            missing.append(u"contact."_s + key);
    for (const QString &key : {u"from_name"_s, u"from_email"_s, u"language"_s})
        if (defaults.value(key).toString().trimmed().isEmpty())
            missing.append(u"campaign_defaults."_s + key);
    if (!defaults.value(u"subject"_s).isString())
        missing.append(u"campaign_defaults.subject"_s);
    if (!missing.isEmpty())
        return problem(400, u"Invalid Resource"_s,
                       u"The resource submitted could not be validated: %1 required."_s.arg(
                           missing.join(u", "_s)));
    const QString id = addList(body.value(u"name"_s).toString().trimmed());
    return json(listJson(*list(id)));
}

SandboxResponse MailchimpSandbox::createMergeField(MailchimpList &list,
                                                   const SandboxRequest &request)
{
    static const QStringList types{u"text"_s,     u"number"_s,   u"address"_s, u"phone"_s,
                                   u"date"_s,     u"url"_s,      u"imageurl"_s, u"radio"_s,
                                   u"dropdown"_s, u"birthday"_s, u"zip"_s};
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString name = body.value(u"name"_s).toString().trimmed();
    const QString type = body.value(u"type"_s).toString();
    if (name.isEmpty() || !types.contains(type))
        return problem(400, u"Invalid Resource"_s,
                       u"name is required and type must be one of %1."_s.arg(types.join(u", "_s)));
    QString tag = body.value(u"tag"_s).toString().trimmed().toUpper();
    if (tag.isEmpty())
        tag = u"MMERGE%1"_s.arg(list.mergeFields.size() + 1);
    for (const MailchimpMergeField &f : std::as_const(list.mergeFields)) {
        if (f.tag == tag)
            return problem(400, u"Invalid Resource"_s,
                           u"A Merge Field with the tag \"%1\" already exists for this list."_s
                               .arg(tag));
    }
    MailchimpMergeField f{++m_nextMergeId,
                          tag,
                          name,
                          type,
                          body.value(u"required"_s).toBool(),
                          body.value(u"default_value"_s).toString(),
                          body.value(u"public"_s).toBool(true),
                          int(list.mergeFields.size()) + 1,
                          body.value(u"options"_s).toObject()};
    list.mergeFields.append(f);
    return json({{u"merge_id"_s, f.mergeId}, {u"tag"_s, f.tag},         {u"name"_s, f.name},
                 {u"type"_s, f.type},        {u"required"_s, f.required},
                 {u"default_value"_s, f.defaultValue}, {u"public"_s, f.isPublic},
                 {u"display_order"_s, f.displayOrder}, {u"options"_s, f.options},
                 {u"list_id"_s, list.id}});
}

void MailchimpSandbox::addAbuseReport(const QString &listId, const QString &email,
                                      const QString &campaignId)
{
    MailchimpList *l = findList(listId);
    if (!l)
        return;
    const int id = int(l->abuseReports.size()) + 1;
    l->abuseReports.append({id, campaignId, email,
                            QDateTime(QDate(2023, 6, 1), QTime(9, 0), Qt::UTC).addDays(id)});
}

