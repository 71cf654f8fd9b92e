// MailchimpSandbox: authentication, routing and the request handlers.
#include "sandbox/mailchimpsandbox.h"

#include "contacts/emailaddress.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace {

SandboxResponse json(const QJsonObject &body, int status = 200)
{
    return SandboxResponse::fromJson(body, status);
}

struct Page
{
    qsizetype offset = 0;
    qsizetype count = 10;
    QString error; ///< set when count or offset are not acceptable
};

Page pageOf(const QUrlQuery &query)
{
    Page page;
    bool ok = true;
    if (query.hasQueryItem(u"count"_s)) {
        page.count = query.queryItemValue(u"count"_s).toInt(&ok);
        if (!ok || page.count < 1 || page.count > MailchimpSandbox::maxPageSize)
            page.error
                = u"count must be an integer from 1 to %1."_s.arg(MailchimpSandbox::maxPageSize);
    }
    if (query.hasQueryItem(u"offset"_s)) {
        page.offset = query.queryItemValue(u"offset"_s).toInt(&ok);
        if (!ok || page.offset < 0)
            page.error = u"offset must be a non-negative integer."_s;
    }
    return page;
}

QDateTime parseTime(const QJsonValue &v, bool *ok)
{
    *ok = true;
    if (!v.isString() || v.toString().isEmpty())
        return {};
    const QDateTime t = QDateTime::fromString(v.toString(), Qt::ISODate);
    *ok = t.isValid();
    return t;
}

QDateTime now()
{
    const QDateTime t = QDateTime::currentDateTimeUtc();
    return t.addMSecs(-t.time().msec()); // Mailchimp's timestamps have whole seconds
}

} // namespace

std::optional<SandboxResponse> MailchimpSandbox::checkAuth(const QByteArray &authorization) const
{
    // HTTP Basic with any user name and the API key as password.
    const QByteArray prefix = QByteArrayLiteral("Basic ");
    if (authorization.isEmpty() || !authorization.startsWith(prefix))
        return problem(401, u"API Key Missing"_s, u"Your request did not include an API key."_s);
    const QString credentials
        = QString::fromUtf8(QByteArray::fromBase64(authorization.mid(prefix.size()).trimmed()));
    const QString key = credentials.section(u':', 1);
    if (!key.contains(u'-'))
        return problem(401, u"API Key Invalid"_s,
                       u"Your API key may be invalid, or you've attempted to access the wrong "
                       "datacenter."_s);
    const QString dc = key.section(u'-', -1);
    if (dc != m_dataCenter)
        return problem(401, u"Wrong Datacenter"_s,
                       u"The API key provided is linked to datacenter '%1', but this server "
                       "emulates datacenter '%2'."_s.arg(dc, m_dataCenter));
    if (key != m_apiKey)
        return problem(401, u"API Key Invalid"_s,
                       u"Your API key may be invalid, or you've attempted to access the wrong "
                       "datacenter."_s);
    return std::nullopt;
}

SandboxResponse MailchimpSandbox::handle(const SandboxRequest &request)
{
    if (const auto refused = checkAuth(request.authorization))
        return *refused;
    return route(request);
}

SandboxResponse MailchimpSandbox::route(const SandboxRequest &request)
{
    const SandboxResponse notFound
        = problem(404, u"Resource Not Found"_s, u"The requested resource could not be found."_s);
    const SandboxResponse notAllowed = problem(405, u"Method Not Allowed"_s,
                                               u"The requested method and resource are not "
                                               "compatible. See the Allow header for this "
                                               "resource's available methods."_s);
    if (!request.path.startsWith(u"/3.0/"))
        return notFound;
    const QStringList parts = request.path.mid(5).split(u'/', Qt::SkipEmptyParts);
    const QByteArray &method = request.method;
    const bool get = method == "GET";

    if (parts == QStringList{u"ping"_s})
        return get ? json({{u"health_status"_s, u"Everything's Chimpy!"_s}}) : notAllowed;
    if (parts.isEmpty() || parts.first() != u"lists")
        return routeAccount(parts, request).value_or(notFound);
    if (parts.size() == 1) {
        if (get)
            return getLists(request);
        return method == "POST" ? createList(request) : notAllowed;
    }

    MailchimpList *list = findList(parts.at(1));
    if (!list)
        return notFound;
    if (parts.size() == 2) {
        if (get)
            return json(listJson(*list));
        return method == "POST" ? batchSubscribe(*list, request) : notAllowed;
    }
    if (parts.size() == 3 && parts.at(2) == u"merge-fields") {
        if (get)
            return getMergeFields(*list, request);
        return method == "POST" ? createMergeField(*list, request) : notAllowed;
    }
    if (const auto extra = routeListExtras(*list, parts, request))
        return *extra;
    if (parts.at(2) != u"members" || parts.size() > 4)
        return notFound;
    if (parts.size() == 3)
        return get ? getMembers(*list, request) : notAllowed;

    const QString hash = parts.at(3).toLower();
    if (method == "PUT")
        return upsertMember(*list, hash, request);
    if (!get)
        return notAllowed;
    const auto it = list->memberIndex.constFind(hash);
    return it == list->memberIndex.cend() ? notFound
                                          : json(memberJson(*list, list->members.at(*it)));
}

SandboxResponse MailchimpSandbox::getLists(const SandboxRequest &request) const
{
    const Page page = pageOf(request.query);
    if (!page.error.isEmpty())
        return problem(400, u"Invalid Resource"_s, page.error);
    QJsonArray lists;
    for (qsizetype i = page.offset; i < m_lists.size() && lists.size() < page.count; ++i)
        lists.append(listJson(m_lists.at(i)));
    return json({{u"lists"_s, lists}, {u"total_items"_s, int(m_lists.size())}});
}

SandboxResponse MailchimpSandbox::getMergeFields(const MailchimpList &list,
                                                 const SandboxRequest &request) const
{
    const Page page = pageOf(request.query);
    if (!page.error.isEmpty())
        return problem(400, u"Invalid Resource"_s, page.error);
    QJsonArray fields;
    for (qsizetype i = page.offset; i < list.mergeFields.size() && fields.size() < page.count;
         ++i) {
        const MailchimpMergeField &f = list.mergeFields.at(i);
        fields.append(QJsonObject{{u"merge_id"_s, f.mergeId},
                                  {u"tag"_s, f.tag},
                                  {u"name"_s, f.name},
                                  {u"type"_s, f.type},
                                  {u"required"_s, f.required},
                                  {u"default_value"_s, f.defaultValue},
                                  {u"public"_s, f.isPublic},
                                  {u"display_order"_s, f.displayOrder},
                                  {u"options"_s, f.options},
                                  {u"list_id"_s, list.id}});
    }
    return json({{u"merge_fields"_s, fields},
                 {u"list_id"_s, list.id},
                 {u"total_items"_s, int(list.mergeFields.size())}});
}

SandboxResponse MailchimpSandbox::getMembers(const MailchimpList &list,
                                             const SandboxRequest &request) const
{
    const Page page = pageOf(request.query);
    if (!page.error.isEmpty())
        return problem(400, u"Invalid Resource"_s, page.error);
    const QString status = request.query.queryItemValue(u"status"_s);
    if (!status.isEmpty() && status != u"archived" && !writableStatuses().contains(status))
        return problem(400, u"Invalid Resource"_s,
                       u"status must be one of subscribed, unsubscribed, cleaned, pending, "
                       "transactional, archived."_s);
    QDateTime since;
    if (request.query.hasQueryItem(u"since_last_changed"_s)) {
        bool ok = false;
        since = parseTime(request.query.queryItemValue(u"since_last_changed"_s, QUrl::FullyDecoded),
                          &ok);
        if (!ok || !since.isValid())
            return problem(400, u"Invalid Resource"_s,
                           u"since_last_changed must be an ISO 8601 time, e.g. "
                           "2015-10-21T15:41:36+00:00."_s);
    }

    // Creation order is stable under paging while nobody writes; "after" is strict, as documented.
    QJsonArray members;
    qsizetype matching = 0;
    for (const MailchimpMember &m : list.members) {
        if (!status.isEmpty() && m.status != status)
            continue;
        if (since.isValid() && !(m.lastChanged > since))
            continue;
        if (matching >= page.offset && members.size() < page.count)
            members.append(memberJson(list, m));
        ++matching;
    }
    return json(
        {{u"members"_s, members}, {u"list_id"_s, list.id}, {u"total_items"_s, int(matching)}});
}

QString MailchimpSandbox::applyFields(MailchimpList &list, MailchimpMember &member,
                                      const QJsonObject &body) const
{
    if (body.contains(u"email_type"_s)) {
        const QString type = body.value(u"email_type"_s).toString();
        if (type != u"html" && type != u"text")
            return u"email_type must be html or text."_s;
        member.emailType = type;
    }
    const QJsonObject merge = body.value(u"merge_fields"_s).toObject();
    // A member without merge fields takes the given object whole (what inserting its keys one
    // by one gives); a refused member is not stored, so checking every key first is the same.
    const bool whole = member.mergeFields.isEmpty();
    for (auto it = merge.begin(); it != merge.end(); ++it) {
        const QString key = it.key();
        const bool known
            = std::any_of(list.mergeFields.cbegin(), list.mergeFields.cend(),
                          [&key](const MailchimpMergeField &f) { return f.tag == key; });
        if (!known)
            return u"Your merge fields were invalid: %1 is not a merge field of this audience."_s
                .arg(key);
        if (!whole)
            member.mergeFields.insert(key, it.value());
    }
    if (whole)
        member.mergeFields = merge;
    if (body.contains(u"language"_s))
        member.language = body.value(u"language"_s).toString();
    if (body.contains(u"vip"_s))
        member.vip = body.value(u"vip"_s).toBool();
    if (body.contains(u"ip_signup"_s))
        member.ipSignup = body.value(u"ip_signup"_s).toString();
    if (body.contains(u"ip_opt"_s))
        member.ipOpt = body.value(u"ip_opt"_s).toString();
    for (const auto &[key, target] : {std::pair{u"timestamp_signup"_s, &member.timestampSignup},
                                      std::pair{u"timestamp_opt"_s, &member.timestampOpt}}) {
        if (!body.contains(key))
            continue;
        bool ok = false;
        const QDateTime t = parseTime(body.value(key), &ok);
        if (!ok)
            return u"%1 must be an ISO 8601 time."_s.arg(key);
        *target = t;
    }
    for (const QJsonValue &tag : body.value(u"tags"_s).toArray()) {
        if (!member.tags.contains(tag.toString()))
            member.tags.append(tag.toString());
        if (!list.tagIds.contains(tag.toString()))
            list.tagIds.insert(tag.toString(), int(list.tagIds.size()) + 1);
    }
    member.lastChanged = now();
    return {};
}

SandboxResponse MailchimpSandbox::upsertMember(MailchimpList &list, const QString &hash,
                                               const SandboxRequest &request)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    const QString email = body.value(u"email_address"_s).toString().trimmed();
    if (email.isEmpty() || !body.contains(u"status_if_new"_s))
        return problem(400, u"Invalid Resource"_s,
                       u"email_address and status_if_new are required."_s);
    if (subscriberHash(email) != hash)
        return problem(400, u"Invalid Resource"_s,
                       u"The subscriber hash in the path is not the MD5 of the lower-cased "
                       "email_address."_s);
    if (!EmailAddress::isValid(email.toUtf8()))
        return problem(
            400, u"Invalid Resource"_s,
            u"%1 looks fake or invalid, please enter a real email address."_s.arg(email));

    const auto it = list.memberIndex.constFind(hash);
    const bool exists = it != list.memberIndex.cend();
    MailchimpMember member = exists ? list.members.at(*it) : MailchimpMember{};
    const QString status = exists ? body.value(u"status"_s).toString(member.status)
                                  : body.value(u"status_if_new"_s).toString();
    if (!writableStatuses().contains(status) && !(exists && status == member.status))
        return problem(400, u"Invalid Resource"_s,
                       u"status must be one of %1."_s.arg(writableStatuses().join(u", "_s)));
    member.email = email;
    member.status = status;
    if (const QString error = applyFields(list, member, body); !error.isEmpty())
        return problem(400, u"Invalid Resource"_s, error);
    putMember(list.id, member);
    return json(memberJson(list, member));
}

SandboxResponse MailchimpSandbox::batchSubscribe(MailchimpList &list, const SandboxRequest &request)
{
    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    if (!body.value(u"members"_s).isArray())
        return problem(400, u"Invalid Resource"_s, u"members is required and must be an array."_s);
    const QJsonArray items = body.value(u"members"_s).toArray();
    if (items.size() > maxBatchMembers)
        return problem(
            400, u"Invalid Resource"_s,
            u"Up to %1 members may be added or updated with each call; this one has %2."_s
                .arg(maxBatchMembers)
                .arg(items.size()));
    const bool updateExisting = body.value(u"update_existing"_s).toBool();

    // The members are written straight into the answer (memberDocument); the rest of it as
    // json() would write {"new_members", "updated_members", "errors", "total_*", "error_count"}.
    QByteArray created, updated;
    int createdCount = 0, updatedCount = 0;
    QJsonArray errors;
    const auto fail = [&errors](const QString &email, const QString &message, const QString &code) {
        errors.append(QJsonObject{
            {u"email_address"_s, email}, {u"error"_s, message}, {u"error_code"_s, code}});
    };
    for (const QJsonValue &v : items) {
        const QJsonObject item = v.toObject();
        const QString email = item.value(u"email_address"_s).toString().trimmed();
        if (!EmailAddress::isValid(email.toUtf8())) {
            fail(email,
                 u"%1 looks fake or invalid, please enter a real email address."_s.arg(email),
                 u"ERROR_GENERIC"_s);
            continue;
        }
        const QString hash = subscriberHash(email);
        const auto it = list.memberIndex.constFind(hash);
        const bool exists = it != list.memberIndex.cend();
        if (exists && !updateExisting) {
            fail(email,
                 u"%1 is already a list member. Use PUT to insert or update list members."_s.arg(
                     email),
                 u"ERROR_CONTACT_EXISTS"_s);
            continue;
        }
        const qsizetype position = exists ? *it : -1;
        MailchimpMember member = exists ? list.members.at(position) : MailchimpMember{};
        const QString status
            = item.value(u"status"_s)
                  .toString(exists ? member.status : item.value(u"status_if_new"_s).toString());
        if (!writableStatuses().contains(status) && !(exists && status == member.status)) {
            fail(email, u"status must be one of %1."_s.arg(writableStatuses().join(u", "_s)),
                 u"ERROR_GENERIC"_s);
            continue;
        }
        member.email = email;
        member.status = status;
        if (const QString error = applyFields(list, member, item); !error.isEmpty()) {
            fail(email, error, u"ERROR_GENERIC"_s);
            continue;
        }
        storeMember(list, std::move(member), hash);
        QByteArray &to = exists ? updated : created;
        if (!to.isEmpty())
            to += ',';
        appendMemberDocument(to, list, list.members.at(exists ? position : list.members.size() - 1),
                             hash);
        ++(exists ? updatedCount : createdCount);
    }
    SandboxResponse r = json({});
    const QByteArray errorsJson = QJsonDocument(errors).toJson(QJsonDocument::Compact);
    QByteArray &out = r.body;
    out.reserve(created.size() + updated.size() + errorsJson.size() + 160);
    out = "{\"error_count\":";
    out += QByteArray::number(int(errors.size()));
    out += ",\"errors\":";
    out += errorsJson;
    out += ",\"new_members\":[";
    out += created;
    out += "],\"total_created\":";
    out += QByteArray::number(createdCount);
    out += ",\"total_updated\":";
    out += QByteArray::number(updatedCount);
    out += ",\"updated_members\":[";
    out += updated;
    out += "]}";
    return r;
}
