// KlaviyoSandbox: authentication, routing and the request handlers.
#include "sandbox/klaviyosandbox.h"

#include <QJsonDocument>
#include <QSet>
#include <QRegularExpression>
#include <QUrl>
#include <QUuid>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

const QString profileBulkImportJob = u"profile-bulk-import-job"_s;
const QString suppressionJob = u"profile-suppression-bulk-create-job"_s;

SandboxResponse document(const QJsonObject &body, int status = 200)
{
    return SandboxResponse::fromJson(body, status, QByteArrayLiteral("application/vnd.api+json"));
}

SandboxResponse accepted()
{
    SandboxResponse r;
    r.status = 202;
    r.contentType = QByteArrayLiteral("application/vnd.api+json");
    return r;
}

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

QJsonObject pointer(const QString &p)
{
    return QJsonObject{{u"pointer"_s, p}};
}

QJsonObject parameter(const QString &p)
{
    return QJsonObject{{u"parameter"_s, p}};
}

using KlaviyoCheck::validEmail;

/// The profiles of a bulk job body: data.attributes.profiles.data (array), or {} with ok=false.
QJsonArray jobProfiles(const QJsonObject &body, bool *ok)
{
    const QJsonValue v = body.value(u"data"_s)
                             .toObject()
                             .value(u"attributes"_s)
                             .toObject()
                             .value(u"profiles"_s)
                             .toObject()
                             .value(u"data"_s);
    *ok = v.isArray();
    return v.toArray();
}

using KlaviyoFilter::queryValue;

} // namespace

namespace {

QString cursorFor(const QString &lastId)
{
    return QString::fromLatin1(
        lastId.toUtf8().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

std::optional<SandboxResponse> KlaviyoSandbox::checkHeaders(const SandboxRequest &request) const
{
    const QByteArray prefix = QByteArrayLiteral("Klaviyo-API-Key ");
    if (request.authorization.isEmpty())
        return error(401, u"not_authenticated"_s,
                     u"Authentication credentials were not provided."_s,
                     u"Missing or invalid authorization scheme. Please use Klaviyo-API-Key."_s);
    if (!request.authorization.startsWith(prefix)
        || QString::fromUtf8(request.authorization.mid(prefix.size()).trimmed()) != m_apiKey)
        return error(401, u"authentication_failed"_s, u"Incorrect authentication credentials."_s,
                     u"Incorrect authentication credentials."_s);
    const QByteArray revisionHeader = request.header("revision");
    if (revisionHeader.isEmpty())
        return error(400, u"invalid"_s, u"Invalid input."_s, u"The revision header is required."_s,
                     parameter(u"revision"_s));
    if (revisionHeader.split('.').constFirst() != revision())
        return error(400, u"invalid"_s, u"Invalid input."_s,
                     u"Revision %1 is not a valid revision; this server knows %2."_s.arg(
                         QString::fromUtf8(revisionHeader), QString::fromLatin1(revision())),
                     parameter(u"revision"_s));
    if (request.method == "POST" || request.method == "PATCH") {
        const QByteArray type = request.header("content-type").split(';').constFirst().trimmed();
        if (type != "application/vnd.api+json" && type != "application/json")
            return error(
                415, u"unsupported_media_type"_s, u"Unsupported media type."_s,
                u"Unsupported media type \"%1\" in request."_s.arg(QString::fromUtf8(type)));
    }
    return std::nullopt;
}

SandboxResponse KlaviyoSandbox::handle(const SandboxRequest &request)
{
    m_revisionsSeen.append(request.header("revision"));
    if (const auto refused = checkHeaders(request))
        return *refused;
    QList<QPair<QByteArray, QByteArray>> headers;
    if (const auto throttled = rateLimit(request, headers))
        return *throttled;
    SandboxResponse response = route(request);
    response.headers.append(headers);
    return response;
}

SandboxResponse KlaviyoSandbox::route(const SandboxRequest &request)
{
    // Built only when answered: an error body costs a UUID and a JSON document.
    const auto notFound = [this] {
        return error(404, u"not_found"_s, u"Not found."_s,
                     u"The requested resource could not be found."_s);
    };
    const auto notAllowed = [this, &request] {
        return error(405, u"method_not_allowed"_s, u"Method not allowed."_s,
                     u"Method \"%1\" not allowed."_s.arg(QString::fromLatin1(request.method)));
    };
    if (!request.path.startsWith(u"/api/"))
        return notFound();
    const QStringList parts = request.path.mid(5).split(u'/', Qt::SkipEmptyParts);
    if (parts.isEmpty() || parts.size() > 3)
        return notFound();
    const QByteArray &method = request.method;
    const bool get = method == "GET";
    const bool post = method == "POST";

    QJsonObject body;
    if (post || method == "PATCH") {
        if (parts.first() == u"profile-bulk-import-jobs" && request.body.size() > maxImportBytes)
            return error(413, u"request_too_large"_s, u"Request too large."_s,
                         u"The payload exceeds the maximum of 5 MB."_s);
        QJsonParseError e;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &e);
        if (e.error != QJsonParseError::NoError || !doc.isObject())
            return error(400, u"parse_error"_s, u"Malformed request."_s,
                         u"JSON parse error - "_s + e.errorString());
        body = doc.object();
    }

    const QString &collection = parts.first();
    if (const auto answered = routeResources(request, parts, body))
        return *answered;
    if (parts.size() == 3) {
        if (collection == u"lists" && parts.at(2) == u"profiles") {
            const KlaviyoList *l = list(parts.at(1));
            if (!l)
                return notFound();
            return get ? getProfiles(request, l) : notAllowed();
        }
        if (collection == u"profile-bulk-import-jobs" && parts.at(2) == u"import-errors") {
            for (const KlaviyoJob &job : m_jobs) {
                if (job.id == parts.at(1) && job.type == profileBulkImportJob)
                    return get ? importErrors(request, job) : notAllowed();
            }
        }
        return notFound();
    }
    if (collection == u"accounts") {
        if (!get)
            return notAllowed();
        const QJsonObject account{
            {u"type"_s, u"account"_s},
            {u"id"_s, u"SbXyZ1"_s},
            {u"attributes"_s,
             QJsonObject{
                 {u"test_account"_s, true},
                 {u"contact_information"_s,
                  QJsonObject{{u"default_sender_name"_s, u"Stagecoach Sandbox"_s},
                              {u"default_sender_email"_s, u"sandbox@example.com"_s},
                              {u"organization_name"_s, u"Stagecoach Sandbox"_s},
                              {u"street_address"_s, QJsonObject{{u"address1"_s, u"1 Sandbox Way"_s},
                                                                {u"address2"_s, QJsonValue::Null},
                                                                {u"city"_s, u"Boston"_s},
                                                                {u"region"_s, u"MA"_s},
                                                                {u"country"_s, u"US"_s},
                                                                {u"zip"_s, u"02110"_s}}}}},
                 {u"public_api_key"_s, u"SbXyZ1"_s},
                 {u"timezone"_s, u"UTC"_s},
                 {u"preferred_currency"_s, u"USD"_s},
                 {u"locale"_s, u"en-US"_s}}},
            {u"links"_s, QJsonObject{{u"self"_s, selfUrl(u"accounts/SbXyZ1/"_s)}}}};
        return document({{u"data"_s, QJsonArray{account}},
                         {u"links"_s, QJsonObject{{u"self"_s, selfUrl(u"accounts/"_s)}}}});
    }
    if (collection == u"profiles") {
        if (parts.size() == 1) {
            if (get)
                return getProfiles(request);
            return post ? createProfile(body) : notAllowed();
        }
        KlaviyoProfile *profile = findProfile(parts.at(1));
        if (!profile)
            return notFound();
        if (method == "PATCH")
            return patchProfile(*profile, body);
        if (!get)
            return notAllowed();
        const bool subs = queryValue(request.query, u"additional-fields[profile]"_s)
                              .value_or(QString())
                              .split(u',')
                              .contains(u"subscriptions"_s);
        return document(
            {{u"data"_s, profileJson(*profile, subs)},
             {u"links"_s, QJsonObject{{u"self"_s, selfUrl(u"profiles/%1/"_s.arg(profile->id))}}}});
    }
    if (collection == u"lists") {
        if (parts.size() == 2) {
            const KlaviyoList *l = list(parts.at(1));
            if (!l)
                return notFound();
            return get ? getList(request, *l) : notAllowed();
        }
        if (get)
            return getLists(request);
        return post ? createList(body) : notAllowed();
    }
    if (collection == u"profile-bulk-import-jobs") {
        if (parts.size() == 1)
            return post ? importProfiles(request, body) : notAllowed();
        if (!get)
            return notAllowed();
        for (KlaviyoJob &job : m_jobs) {
            if (job.id == parts.at(1) && job.type == profileBulkImportJob) {
                const SandboxResponse r = jobResponse(job, 200);
                job.pendingPolls = std::max(0, job.pendingPolls - 1);
                return r;
            }
        }
        return notFound();
    }
    if (collection == u"profile-suppression-bulk-create-jobs") {
        if (parts.size() == 1)
            return post ? suppress(body) : notAllowed();
        if (!get)
            return notAllowed();
        for (const KlaviyoJob &job : m_jobs) {
            if (job.id == parts.at(1) && job.type == suppressionJob)
                return jobResponse(job, 200);
        }
        return notFound();
    }
    if (parts.size() == 1 && collection == u"profile-subscription-bulk-create-jobs")
        return post ? subscribe(body) : notAllowed();
    if (parts.size() == 1 && collection == u"profile-subscription-bulk-delete-jobs")
        return post ? unsubscribe(body) : notAllowed();
    return notFound();
}

SandboxResponse KlaviyoSandbox::getProfiles(const SandboxRequest &request,
                                            const KlaviyoList *inList) const
{
    const QUrlQuery &q = request.query;
    // queryValue() decodes the whole query on every call; the filter of 100 addresses is long.
    const auto items = q.queryItems(QUrl::FullyDecoded);
    const auto value = [&items](const QString &name) -> std::optional<QString> {
        for (const auto &[k, v] : items) {
            if (k == name)
                return v;
        }
        return std::nullopt;
    };
    int size = defaultProfilesPageSize;
    if (const auto text = value(u"page[size]"_s)) {
        bool ok = false;
        size = text->toInt(&ok);
        if (!ok || size < 1 || size > maxProfilesPageSize)
            return error(400, u"invalid"_s, u"Invalid input."_s,
                         u"Page size must be an integer from 1 to %1."_s.arg(maxProfilesPageSize),
                         parameter(u"page[size]"_s));
    }
    QString after;
    if (const auto cursor = value(u"page[cursor]"_s)) {
        const QByteArray raw = cursor->toLatin1();
        const auto decoded = QByteArray::fromBase64Encoding(
            raw, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || decoded.decoded.isEmpty())
            return error(400, u"invalid"_s, u"Invalid input."_s, u"Invalid page cursor."_s,
                         parameter(u"page[cursor]"_s));
        after = QString::fromUtf8(decoded.decoded);
    }
    // Filters the sandbox knows (K-spec get_profiles / get_profiles_for_list allow more):
    // equals/any on email; greater-than on updated or created (get_profiles only).
    QStringList emailFilter;
    bool filtered = false;
    QString timeField;
    QDateTime since;
    if (const auto filter = value(u"filter"_s)) {
        const auto e = KlaviyoFilter::parse(*filter);
        const bool byEmail = e && e->field == u"email" && (e->op == u"equals" || e->op == u"any")
                             && (e->op == u"any" || e->values.size() == 1);
        const bool byTime = e && !inList && e->op == u"greater-than"
                            && (e->field == u"updated" || e->field == u"created")
                            && e->values.size() == 1;
        if (!byEmail && !byTime)
            return error(400, u"invalid"_s, u"Invalid input."_s,
                         u"The sandbox supports the filters equals(email,\"...\"), "
                         "any(email,[...]) and greater-than(updated|created,<time>)."_s,
                         parameter(u"filter"_s));
        if (byEmail) {
            emailFilter = e->values;
            filtered = true;
        } else {
            timeField = e->field;
            since = QDateTime::fromString(e->values.first(), Qt::ISODateWithMs);
            if (!since.isValid())
                return error(400, u"invalid"_s, u"Invalid input."_s,
                             u"Invalid date-time in filter."_s, parameter(u"filter"_s));
        }
    }
    const bool subs = value(u"additional-fields[profile]"_s)
                          .value_or(QString())
                          .split(u',')
                          .contains(u"subscriptions"_s);

    // Profiles in id order (ids grow with creation); the cursor is the last id of a page.
    // Only the profiles a page can hold are looked at: an email filter through the email index,
    // otherwise from the cursor on while m_profiles is in id order (one page past the page shows
    // that there is a next one), so that paging through a million profiles stays linear.
    QList<const KlaviyoProfile *> matching;
    // `asked`: the filter address the profile was found by (equal to its address in most cases,
    // which spares comparing it with every address of the filter).
    const auto consider = [&](const KlaviyoProfile &p, const QString &asked = {}) {
        if (inList && !inList->joinedAt.contains(p.id))
            return;
        if (filtered && p.email.compare(asked, Qt::CaseInsensitive) != 0
            && !emailFilter.contains(p.email, Qt::CaseInsensitive))
            return;
        if (since.isValid() && !((timeField == u"updated" ? p.updated : p.created) > since))
            return;
        if (!after.isEmpty() && p.id <= after)
            return;
        matching.append(&p);
    };
    if (filtered) {
        QSet<qsizetype> seen;
        for (const QString &email : std::as_const(emailFilter)) {
            const auto at = m_emailIndex.constFind(email.toLower());
            if (at != m_emailIndex.cend() && !seen.contains(*at)) {
                seen.insert(*at);
                consider(m_profiles.at(*at), email);
            }
        }
    } else if (m_profilesInIdOrder) {
        auto it = std::upper_bound(m_profiles.cbegin(), m_profiles.cend(), after,
                                   [](const QString &id, const KlaviyoProfile &p) { return id < p.id; });
        for (; it != m_profiles.cend() && matching.size() <= size; ++it)
            consider(*it);
    } else {
        for (const KlaviyoProfile &p : m_profiles)
            consider(p);
    }
    std::sort(matching.begin(), matching.end(),
              [](const KlaviyoProfile *a, const KlaviyoProfile *b) { return a->id < b->id; });
    QJsonArray data;
    for (qsizetype i = 0; i < matching.size() && i < size; ++i) {
        QJsonObject p = profileJson(*matching.at(i), subs);
        if (inList) { // get_profiles_for_list adds when the profile joined the list
            QJsonObject a = p.value(u"attributes"_s).toObject();
            a.insert(u"joined_group_at"_s,
                     inList->joinedAt.value(matching.at(i)->id, inList->created)
                         .toString(Qt::ISODate)
                         .replace(u"Z"_s, u"+00:00"_s));
            p.insert(u"attributes"_s, a);
        }
        data.append(p);
    }

    const QString host = QString::fromUtf8(request.header("host"));
    const QString path = inList ? u"lists/%1/profiles/"_s.arg(inList->id) : u"profiles/"_s;
    const QString base = host.isEmpty() ? u"https://a.klaviyo.com/api/"_s + path
                                        : u"http://%1/api/%2"_s.arg(host, path);
    QUrlQuery selfQuery = q;
    QUrl self(base);
    self.setQuery(selfQuery);
    QJsonObject links{{u"self"_s, self.toString(QUrl::FullyEncoded)}};
    if (matching.size() > size) {
        QUrlQuery nextQuery = q;
        nextQuery.removeAllQueryItems(u"page[cursor]"_s);
        nextQuery.addQueryItem(u"page[cursor]"_s, cursorFor(matching.at(size - 1)->id));
        QUrl next(base);
        next.setQuery(nextQuery);
        links.insert(u"next"_s, next.toString(QUrl::FullyEncoded));
    }
    return document({{u"data"_s, data}, {u"links"_s, links}});
}

QString KlaviyoSandbox::applyAttributes(KlaviyoProfile &p, const QJsonObject &a) const
{
    struct TextField
    {
        QString name;
        QString KlaviyoProfile::*field;
    };
    static const TextField textFields[] = {{u"email"_s, &KlaviyoProfile::email},
                                           {u"first_name"_s, &KlaviyoProfile::firstName},
                                           {u"last_name"_s, &KlaviyoProfile::lastName},
                                           {u"phone_number"_s, &KlaviyoProfile::phoneNumber},
                                           {u"organization"_s, &KlaviyoProfile::organization},
                                           {u"locale"_s, &KlaviyoProfile::locale}};
    for (const TextField &t : textFields) {
        const auto it = a.constFind(t.name);
        if (it == a.constEnd())
            continue;
        const QJsonValue v = it.value();
        if (v.isNull())
            (p.*t.field).clear();
        else if (!v.isString())
            return u"'%1' must be a string."_s.arg(t.name);
        else
            p.*t.field = v.toString();
    }
    if (!p.email.isEmpty() && !validEmail(p.email))
        return u"Invalid email address"_s;
    static const QRegularExpression phone(u"^\\+[1-9][0-9]{6,14}$"_s);
    if (!p.phoneNumber.isEmpty() && !phone.match(p.phoneNumber).hasMatch())
        return u"Invalid phone number format (Example of a valid format: +12345678901)"_s;
    if (const auto it = a.constFind(u"location"_s); it != a.constEnd()) {
        const QJsonValue v = it.value();
        if (!v.isObject() && !v.isNull())
            return u"'location' must be an object."_s;
        // Merged key by key into what is there; into nothing, that is the given object (a
        // QJsonObject keeps its keys sorted and unique either way).
        const QJsonObject given = v.toObject();
        if (p.location.isEmpty()) {
            p.location = given;
        } else {
            QJsonObject merged = p.location;
            for (auto g = given.begin(); g != given.end(); ++g)
                merged.insert(g.key(), g.value());
            p.location = v.isNull() ? QJsonObject() : merged;
        }
    }
    if (const auto it = a.constFind(u"properties"_s); it != a.constEnd()) {
        const QJsonValue v = it.value();
        if (!v.isObject() && !v.isNull())
            return u"'properties' must be an object."_s;
        const QJsonObject given = v.toObject();
        if (p.properties.isEmpty()) {
            p.properties = given; // as inserting each key into nothing
        } else {
            for (auto g = given.begin(); g != given.end(); ++g)
                p.properties.insert(g.key(), g.value());
        }
    }
    return {};
}

SandboxResponse KlaviyoSandbox::createProfile(const QJsonObject &body)
{
    const QJsonObject data = body.value(u"data"_s).toObject();
    if (data.value(u"type"_s).toString() != u"profile")
        return error(400, u"invalid"_s, u"Invalid input."_s,
                     u"The resource type must be \"profile\"."_s, pointer(u"/data/type"_s));
    const QJsonObject attributes = data.value(u"attributes"_s).toObject();
    KlaviyoProfile profile;
    if (const QString e = applyAttributes(profile, attributes); !e.isEmpty())
        return error(400, u"invalid"_s, u"Invalid input."_s, e, pointer(u"/data/attributes"_s));
    if (profile.email.isEmpty() && profile.phoneNumber.isEmpty())
        return error(400, u"invalid"_s, u"Invalid input."_s,
                     u"One of email, phone_number or external_id is required."_s,
                     pointer(u"/data/attributes"_s));
    if (const KlaviyoProfile *existing = profileByEmail(profile.email);
        existing && !profile.email.isEmpty())
        return error(409, u"duplicate_profile"_s, u"Conflict."_s,
                     u"A profile already exists with one of these identifiers."_s,
                     pointer(u"/data/attributes"_s),
                     QJsonObject{{u"duplicate_profile_id"_s, existing->id}});
    const QString id = putProfile(profile);
    const KlaviyoProfile *p = findProfile(id);
    return document({{u"data"_s, profileJson(*p, false)},
                     {u"links"_s, QJsonObject{{u"self"_s, selfUrl(u"profiles/"_s)}}}},
                    201);
}

SandboxResponse KlaviyoSandbox::patchProfile(KlaviyoProfile &profile, const QJsonObject &body)
{
    const QJsonObject data = body.value(u"data"_s).toObject();
    if (data.value(u"type"_s).toString() != u"profile")
        return error(400, u"invalid"_s, u"Invalid input."_s,
                     u"The resource type must be \"profile\"."_s, pointer(u"/data/type"_s));
    if (data.value(u"id"_s).toString() != profile.id)
        return error(409, u"conflict"_s, u"Conflict."_s,
                     u"The id in the body does not match the id in the URL."_s,
                     pointer(u"/data/id"_s));
    KlaviyoProfile changed = profile;
    if (const QString e = applyAttributes(changed, data.value(u"attributes"_s).toObject());
        !e.isEmpty())
        return error(400, u"invalid"_s, u"Invalid input."_s, e, pointer(u"/data/attributes"_s));
    if (changed.email.compare(profile.email, Qt::CaseInsensitive) != 0
        && !changed.email.isEmpty()) {
        if (const KlaviyoProfile *other = profileByEmail(changed.email))
            return error(409, u"duplicate_profile"_s, u"Conflict."_s,
                         u"A profile already exists with one of these identifiers."_s,
                         pointer(u"/data/attributes/email"_s),
                         QJsonObject{{u"duplicate_profile_id"_s, other->id}});
    }
    changed.updated = now();
    putProfile(changed);
    const KlaviyoProfile *p = findProfile(changed.id);
    return document(
        {{u"data"_s, profileJson(*p, false)},
         {u"links"_s, QJsonObject{{u"self"_s, selfUrl(u"profiles/%1/"_s.arg(p->id))}}}});
}

SandboxResponse KlaviyoSandbox::importProfiles(const SandboxRequest &request,
                                               const QJsonObject &body)
{
    const QJsonObject data = body.value(u"data"_s).toObject();
    if (data.value(u"type"_s).toString() != profileBulkImportJob)
        return error(400, u"invalid"_s, u"Invalid input."_s,
                     u"The resource type must be \"profile-bulk-import-job\"."_s,
                     pointer(u"/data/type"_s));
    bool ok = false;
    const QJsonArray items = jobProfiles(body, &ok);
    if (!ok || items.isEmpty())
        return error(400, u"invalid"_s, u"Invalid input."_s, u"No profiles were provided."_s,
                     pointer(u"/data/attributes/profiles/data"_s));
    if (items.size() > maxImportProfiles)
        return error(
            400, u"invalid"_s, u"Invalid input."_s,
            u"A job may contain at most %1 profiles; %2 were provided."_s.arg(maxImportProfiles)
                .arg(items.size()),
            pointer(u"/data/attributes/profiles/data"_s));
    QStringList listIds;
    QList<KlaviyoList *> lists; // the same lists, found once
    for (const QJsonValue &l : data.value(u"relationships"_s)
                                   .toObject()
                                   .value(u"lists"_s)
                                   .toObject()
                                   .value(u"data"_s)
                                   .toArray()) {
        const QString id = l.toObject().value(u"id"_s).toString();
        KlaviyoList *found = findList(id);
        if (!found)
            return error(404, u"not_found"_s, u"Not found."_s, u"List %1 does not exist."_s.arg(id),
                         pointer(u"/data/relationships/lists/data"_s));
        listIds.append(id);
        lists.append(found);
    }
    KlaviyoJob job;
    job.id = newId(22);
    job.type = profileBulkImportJob;
    job.total = int(items.size());
    job.createdAt = now();
    job.listIds = listIds;
    job.pendingPolls = m_importJobPolls;
    // Each failed profile becomes an import error (K-spec ImportErrorResponseObjectResource)
    // pointing at its place in the request, with the attributes sent as original_payload.
    const auto fail = [&job, this](qsizetype index, const QJsonObject &a, const QString &detail) {
        ++job.failed;
        job.errors.append(QJsonObject{
            {u"type"_s, u"import-error"_s},
            {u"id"_s, QUuid::createUuid().toString(QUuid::WithoutBraces)},
            {u"attributes"_s,
             QJsonObject{
                 {u"code"_s, u"invalid"_s},
                 {u"title"_s, u"Invalid input."_s},
                 {u"detail"_s, detail},
                 {u"source"_s,
                  pointer(u"/data/attributes/profiles/data/%1/attributes/email"_s.arg(index))},
                 {u"original_payload"_s, a}}}});
    };
    // "The maximum allowed payload size per-profile is 100KB" (K-spec bulk_import_profiles);
    // the sandbox refuses such a profile alone, as an import error. The size is that of the
    // profile written as compact JSON; when no profile's text in the body is long enough to
    // reach the limit once written (KlaviyoCheck::maxJsonGrowth), none is written to measure it.
    const bool sizesBelowLimit
        = KlaviyoCheck::longestJobItemText(request.body) * KlaviyoCheck::maxJsonGrowth
          <= maxImportProfileBytes;
    for (qsizetype index = 0; index < items.size(); ++index) {
        const QJsonObject item = items.at(index).toObject();
        const QJsonObject a = item.value(u"attributes"_s).toObject();
        const QString email = a.value(u"email"_s).toString();
        if (!sizesBelowLimit
            && QJsonDocument(item).toJson(QJsonDocument::Compact).size() > maxImportProfileBytes) {
            fail(index, a, u"The profile exceeds the maximum size of 100 KB."_s);
            continue;
        }
        if (!validEmail(email)) {
            fail(index, a, u"Invalid email address"_s);
            continue;
        }
        // The profile of this address, changed on a copy (a refused change leaves it as it was).
        const QString lowerEmail = email.toLower();
        const auto existing = m_emailIndex.constFind(lowerEmail);
        KlaviyoProfile changed
            = existing != m_emailIndex.cend() ? m_profiles.at(*existing) : KlaviyoProfile();
        if (const QString problem = applyAttributes(changed, a); !problem.isEmpty()) {
            fail(index, a, problem);
            continue;
        }
        changed.updated = now();
        // applyAttributes() set changed.email to `email`, so lowerEmail is its index key.
        const qsizetype at = storeProfile(std::move(changed), lowerEmail);
        for (KlaviyoList *l : std::as_const(lists))
            addToList(*l, m_profiles.at(at).id);
        ++job.completed;
    }
    job.completedAt = now();
    m_jobs.append(job);
    return jobResponse(job, 202);
}

SandboxResponse KlaviyoSandbox::subscribe(const QJsonObject &body)
{
    const QJsonObject data = body.value(u"data"_s).toObject();
    if (data.value(u"type"_s).toString() != u"profile-subscription-bulk-create-job")
        return error(400, u"invalid"_s, u"Invalid input."_s,
                     u"The resource type must be \"profile-subscription-bulk-create-job\"."_s,
                     pointer(u"/data/type"_s));
    const QJsonObject attributes = data.value(u"attributes"_s).toObject();
    const bool historical = attributes.value(u"historical_import"_s).toBool(false);
    const QString source = attributes.value(u"custom_source"_s).toString();
    bool ok = false;
    const QJsonArray items = jobProfiles(body, &ok);
    if (!ok || items.isEmpty())
        return error(400, u"invalid"_s, u"Invalid input."_s, u"No profiles were provided."_s,
                     pointer(u"/data/attributes/profiles/data"_s));
    if (items.size() > maxSubscribeProfiles)
        return error(
            400, u"invalid"_s, u"Invalid input."_s,
            u"At most %1 profiles can be subscribed per request."_s.arg(maxSubscribeProfiles),
            pointer(u"/data/attributes/profiles/data"_s));
    const QString listId = data.value(u"relationships"_s)
                               .toObject()
                               .value(u"list"_s)
                               .toObject()
                               .value(u"data"_s)
                               .toObject()
                               .value(u"id"_s)
                               .toString();
    const KlaviyoList *target = listId.isEmpty() ? nullptr : list(listId);
    if (!listId.isEmpty() && !target)
        return error(404, u"not_found"_s, u"Not found."_s, u"List %1 does not exist."_s.arg(listId),
                     pointer(u"/data/relationships/list/data/id"_s));
    // The account default opt-in setting of the sandbox is double opt-in.
    const bool doubleOptIn = !target || target->optInProcess == u"double_opt_in";

    // Validate everything before changing anything: the request is refused as a whole.
    struct Change
    {
        QString email;
        QDateTime consentedAt;
    };
    QList<Change> changes;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonObject a = items.at(i).toObject().value(u"attributes"_s).toObject();
        const auto at = [i] {
            return u"/data/attributes/profiles/data/%1/attributes"_s.arg(i);
        };
        const QString email = a.value(u"email"_s).toString();
        if (!validEmail(email))
            return error(400, u"invalid"_s, u"Invalid input."_s, u"Invalid email address"_s,
                         pointer(at() + u"/email"_s));
        const QJsonObject marketing = a.value(u"subscriptions"_s)
                                          .toObject()
                                          .value(u"email"_s)
                                          .toObject()
                                          .value(u"marketing"_s)
                                          .toObject();
        if (marketing.value(u"consent"_s).toString() != u"SUBSCRIBED")
            return error(400, u"invalid"_s, u"Invalid input."_s,
                         u"subscriptions.email.marketing.consent must be SUBSCRIBED."_s,
                         pointer(at() + u"/subscriptions/email/marketing/consent"_s));
        QDateTime consentedAt;
        if (marketing.contains(u"consented_at"_s)) {
            consentedAt = QDateTime::fromString(marketing.value(u"consented_at"_s).toString(),
                                                Qt::ISODateWithMs);
            if (!consentedAt.isValid())
                return error(400, u"invalid"_s, u"Invalid input."_s,
                             u"consented_at must be an ISO 8601 date-time."_s,
                             pointer(at() + u"/subscriptions/email/marketing/consented_at"_s));
        }
        if (historical && !consentedAt.isValid())
            return error(400, u"invalid"_s, u"Invalid input."_s,
                         u"consented_at is required when historical_import is true."_s,
                         pointer(at() + u"/subscriptions/email/marketing/consented_at"_s));
        if (historical && consentedAt > now())
            return error(400, u"invalid"_s, u"Invalid input."_s,
                         u"consented_at must be in the past for a historical import."_s,
                         pointer(at() + u"/subscriptions/email/marketing/consented_at"_s));
        changes.append({email, consentedAt});
    }
    KlaviyoList *targetList = listId.isEmpty() ? nullptr : findList(listId);
    for (const Change &c : changes) {
        KlaviyoProfile &p = profileFor(c.email);
        // Subscribing removes UNSUBSCRIBE, SPAM_REPORT and USER_SUPPRESSED suppressions.
        p.suppression.removeIf([](const KlaviyoSuppression &s) {
            return s.reason == u"UNSUBSCRIBE" || s.reason == u"USER_SUPPRESSED"
                   || s.reason == u"SPAM_COMPLAINT";
        });
        if (targetList)
            addToList(*targetList, p.id);
        p.updated = p.consentUpdated = now();
        if (historical || !doubleOptIn) {
            p.consent = u"SUBSCRIBED"_s;
            p.consentTimestamp = historical ? c.consentedAt : now();
            p.method = u"API"_s;
            p.methodDetail = source;
            p.doubleOptIn = false;
        } else {
            m_doubleOptIns.append(c.email);
        }
    }
    return accepted();
}

std::variant<QStringList, SandboxResponse> KlaviyoSandbox::bulkJobEmails(const QJsonObject &body,
                                                                         const QString &type,
                                                                         int max,
                                                                         const QString &verb) const
{
    const QJsonObject data = body.value(u"data"_s).toObject();
    if (data.value(u"type"_s).toString() != type)
        return error(400, u"invalid"_s, u"Invalid input."_s,
                     u"The resource type must be \"%1\"."_s.arg(type), pointer(u"/data/type"_s));
    bool ok = false;
    const QJsonArray items = jobProfiles(body, &ok);
    if (!ok || items.isEmpty())
        return error(400, u"invalid"_s, u"Invalid input."_s, u"No profiles were provided."_s,
                     pointer(u"/data/attributes/profiles/data"_s));
    if (items.size() > max)
        return error(400, u"invalid"_s, u"Invalid input."_s,
                     u"At most %1 profiles can be %2 per request."_s.arg(max).arg(verb),
                     pointer(u"/data/attributes/profiles/data"_s));
    QStringList emails;
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QString email
            = items.at(i).toObject().value(u"attributes"_s).toObject().value(u"email"_s).toString();
        if (!validEmail(email))
            return error(400, u"invalid"_s, u"Invalid input."_s, u"Invalid email address"_s,
                         pointer(u"/data/attributes/profiles/data/%1/attributes/email"_s.arg(i)));
        emails.append(email);
    }
    return emails;
}

SandboxResponse KlaviyoSandbox::suppress(const QJsonObject &body)
{
    const auto checked = bulkJobEmails(body, suppressionJob, maxSuppressProfiles, u"suppressed"_s);
    if (const auto *refusal = std::get_if<SandboxResponse>(&checked))
        return *refusal;
    const QStringList emails = std::get<QStringList>(checked);
    KlaviyoJob job;
    job.id = newId(22);
    job.type = suppressionJob;
    job.total = int(emails.size());
    job.createdAt = now();
    for (const QString &email : emails) {
        KlaviyoProfile &p = profileFor(email);
        const bool already = std::any_of(
            p.suppression.cbegin(), p.suppression.cend(),
            [](const KlaviyoSuppression &s) { return s.reason == u"USER_SUPPRESSED"; });
        if (!already)
            p.suppression.append({u"USER_SUPPRESSED"_s, now()});
        p.updated = p.consentUpdated = now();
        ++job.completed;
    }
    job.completedAt = now();
    m_jobs.append(job);
    return jobResponse(job, 202);
}

SandboxResponse KlaviyoSandbox::unsubscribe(const QJsonObject &body)
{
    const auto checked = bulkJobEmails(body, u"profile-subscription-bulk-delete-job"_s,
                                       maxUnsubscribeProfiles, u"unsubscribed"_s);
    if (const auto *refusal = std::get_if<SandboxResponse>(&checked))
        return *refusal;
    const QStringList emails = std::get<QStringList>(checked);
    for (const QString &email : emails) {
        KlaviyoProfile &p = profileFor(email);
        // Not on a given list: a global unsubscribe (the spec's warning), i.e. consent
        // UNSUBSCRIBED and an UNSUBSCRIBE suppression.
        const bool already
            = std::any_of(p.suppression.cbegin(), p.suppression.cend(),
                          [](const KlaviyoSuppression &s) { return s.reason == u"UNSUBSCRIBE"; });
        // Decided here (the spec does not say): unsubscribing someone already unsubscribed is
        // no consent change, so the consent time stays.
        if (already && p.consent == u"UNSUBSCRIBED")
            continue;
        p.consent = u"UNSUBSCRIBED"_s;
        p.consentTimestamp = p.updated = p.consentUpdated = now();
        p.method = u"API"_s;
        if (!already)
            p.suppression.append({u"UNSUBSCRIBE"_s, now()});
    }
    return accepted();
}
