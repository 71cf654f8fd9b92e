// BrevoSandbox: authentication, routing, state and the request handlers.
#include "sandbox/brevosandbox.h"

#include "contacts/emailaddress.h"

#include <QJsonDocument>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

SandboxResponse json(const QJsonObject &body, int status = 200)
{
    return SandboxResponse::fromJson(body, status);
}

SandboxResponse noContent()
{
    SandboxResponse r;
    r.status = 204;
    r.contentType.clear();
    return r;
}

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

QString timeText(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs); // 2017-05-01T17:05:03.000Z
}

struct Page
{
    qsizetype offset = 0;
    qsizetype limit = 0;
    QString error;
};

Page pageOf(const QUrlQuery &query, int defaultLimit, int maxLimit)
{
    Page page;
    page.limit = defaultLimit;
    bool ok = true;
    if (query.hasQueryItem(u"limit"_s)) {
        page.limit = query.queryItemValue(u"limit"_s).toLongLong(&ok);
        if (!ok || page.limit < 0 || page.limit > maxLimit)
            page.error = u"limit should be an integer from 0 to %1"_s.arg(maxLimit);
    }
    if (query.hasQueryItem(u"offset"_s)) {
        page.offset = query.queryItemValue(u"offset"_s).toLongLong(&ok);
        if (!ok || page.offset < 0)
            page.error = u"offset should be a non-negative integer"_s;
    }
    return page;
}

bool parseObject(const QByteArray &body, QJsonObject *out)
{
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &e);
    if (e.error != QJsonParseError::NoError || !doc.isObject())
        return false;
    *out = doc.object();
    return true;
}

QJsonArray idArray(const QList<qint64> &ids)
{
    QJsonArray a;
    for (const qint64 id : ids)
        a.append(id);
    return a;
}

/// Integer ids of a JSON array; false when an element is not a positive integer.
bool idsOf(const QJsonValue &v, QList<qint64> *out)
{
    if (v.isUndefined())
        return true;
    if (!v.isArray())
        return false;
    for (const QJsonValue &e : v.toArray()) {
        const double d = e.toDouble(-1);
        if (!e.isDouble() || d < 1 || d != double(qint64(d)))
            return false;
        out->append(qint64(d));
    }
    return true;
}

bool isEmptyValue(const QJsonValue &v)
{
    return v.isNull() || (v.isString() && v.toString().isEmpty());
}

} // namespace

BrevoSandbox::BrevoSandbox(QString apiKey)
    : m_apiKey(std::move(apiKey))
{
}

qint64 BrevoSandbox::seedEmpty()
{
    for (const QString &name : {u"EMAIL"_s, u"FIRSTNAME"_s, u"LASTNAME"_s, u"SMS"_s}) {
        if (!findAttribute(name))
            m_attributes.append({name, u"normal"_s, u"text"_s, {}, {}});
    }
    const qint64 folder = addFolder(u"Your first folder"_s);
    return addList(u"Your first list"_s, folder);
}

qint64 BrevoSandbox::addFolder(const QString &name)
{
    m_folders.append({m_nextFolderId, name});
    return m_nextFolderId++;
}

qint64 BrevoSandbox::addList(const QString &name, qint64 folderId)
{
    m_lists.append({m_nextListId, name, folderId});
    return m_nextListId++;
}

qint64 BrevoSandbox::putContact(BrevoContact contact)
{
    contact.email = contact.email.toLower();
    if (contact.id == 0)
        contact.id = m_nextContactId++;
    else
        m_nextContactId = std::max(m_nextContactId, contact.id + 1);
    if (!contact.createdAt.isValid())
        contact.createdAt = now();
    if (!contact.modifiedAt.isValid())
        contact.modifiedAt = contact.createdAt;
    const auto it = m_contactIndex.constFind(contact.email);
    if (it != m_contactIndex.cend()) {
        m_contacts[*it] = contact;
    } else {
        m_contactIndex.insert(contact.email, m_contacts.size());
        m_contacts.append(contact);
    }
    return contact.id;
}

const BrevoContact *BrevoSandbox::contact(const QString &emailOrId) const
{
    return const_cast<BrevoSandbox *>(this)->findContact(emailOrId);
}

BrevoContact *BrevoSandbox::findContact(const QString &identifier)
{
    bool numeric = false;
    const qint64 id = identifier.toLongLong(&numeric);
    if (numeric) {
        for (BrevoContact &c : m_contacts) {
            if (c.id == id)
                return &c;
        }
        return nullptr;
    }
    const auto it = m_contactIndex.constFind(identifier.toLower());
    return it == m_contactIndex.cend() ? nullptr : &m_contacts[*it];
}

const BrevoAttribute *BrevoSandbox::findAttribute(const QString &name) const
{
    for (const BrevoAttribute &a : m_attributes) {
        if (a.name == name.toUpper())
            return &a;
    }
    return nullptr;
}

bool BrevoSandbox::hasList(qint64 id) const
{
    return std::any_of(m_lists.cbegin(), m_lists.cend(),
                       [id](const BrevoList &l) { return l.id == id; });
}

SandboxResponse BrevoSandbox::error(int status, const QString &code, const QString &message)
{
    return json({{u"code"_s, code}, {u"message"_s, message}}, status);
}

SandboxResponse BrevoSandbox::problem(int status, const QString &title, const QString &detail) const
{
    QString code;
    switch (status) {
    case 400: code = u"bad_request"_s; break;
    case 401: code = u"unauthorized"_s; break;
    case 403: code = u"permission_denied"_s; break;
    case 404: code = u"document_not_found"_s; break;
    case 405: code = u"method_not_allowed"_s; break;
    case 429: code = u"too_many_requests"_s; break; // not in swagger.yaml's errorModel enum
    default: code = u"service_unavailable"_s; break; // ditto; the document lists no 5xx
    }
    return error(status, code, detail.isEmpty() ? title : detail);
}

SandboxResponse BrevoSandbox::tooManyRequests() const
{
    SandboxResponse r = problem(429, {}, u"The expected rate limit is exceeded."_s);
    r.headers = {{"x-sib-ratelimit-limit", QByteArray::number(contactsPerSecond)},
                 {"x-sib-ratelimit-remaining", "0"},
                 {"x-sib-ratelimit-reset", "1"}};
    return r;
}

std::optional<SandboxResponse>
BrevoSandbox::countContactRequest(QList<QPair<QByteArray, QByteArray>> &headers)
{
    const qint64 t = QDateTime::currentMSecsSinceEpoch();
    if (t - m_windowStartMs >= 1000) {
        m_windowStartMs = t;
        m_windowCount = 0;
    }
    ++m_windowCount;
    const int remaining = std::max(0, contactsPerSecond - m_windowCount);
    const qint64 reset = std::max<qint64>(1, (m_windowStartMs + 1000 - t + 999) / 1000);
    headers = {{"x-sib-ratelimit-limit", QByteArray::number(contactsPerSecond)},
               {"x-sib-ratelimit-remaining", QByteArray::number(remaining)},
               {"x-sib-ratelimit-reset", QByteArray::number(reset)}};
    if (m_enforceRateLimit && m_windowCount > contactsPerSecond) {
        SandboxResponse r = problem(429, {}, u"The expected rate limit is exceeded."_s);
        r.headers = headers;
        return r;
    }
    return std::nullopt;
}

SandboxResponse BrevoSandbox::handle(const SandboxRequest &request)
{
    const QByteArray key = request.header("api-key");
    if (key.isEmpty() || QString::fromUtf8(key) != m_apiKey)
        return error(401, u"unauthorized"_s, u"Key not found"_s);
    const bool contactsPath = request.path == u"/v3/contacts"
                              || request.path.startsWith(u"/v3/contacts/");
    // Every answer carries the x-sib-ratelimit headers of its class (esp-apis.md 2.1).
    QList<QPair<QByteArray, QByteArray>> limitHeaders;
    if (auto refused = contactsPath ? countContactRequest(limitHeaders)
                                    : countOtherRequest(limitHeaders))
        return *refused;
    SandboxResponse r = route(request);
    if (m_rateLimitHeaders)
        r.headers.append(limitHeaders);
    return r;
}

SandboxResponse BrevoSandbox::route(const SandboxRequest &request)
{
    const QByteArray &method = request.method;
    const SandboxResponse notAllowed = error(
        405, u"method_not_allowed"_s,
        u"%1 Method is not allowed on this path"_s.arg(QString::fromLatin1(method)));
    const SandboxResponse notFound = error(404, u"document_not_found"_s, u"Invalid path"_s);
    if (!request.path.startsWith(u"/v3/"))
        return notFound;
    const QStringList parts = request.path.mid(4).split(u'/', Qt::SkipEmptyParts);
    if (parts.isEmpty())
        return notFound;
    const bool get = method == "GET";
    const bool post = method == "POST";

    if (parts == QStringList{u"account"_s})
        return get ? getAccount() : notAllowed;
    if (parts.size() == 2 && parts.at(0) == u"processes") {
        ++m_processRequests;
        return get ? getProcess(parts.at(1)) : notAllowed;
    }
    if (auto marketing = routeMarketing(request, parts))
        return *marketing;
    if (parts.first() != u"contacts")
        return notFound;
    if (parts.size() == 1) {
        if (get)
            return getContacts(request);
        return post ? createContact(request) : notAllowed;
    }
    const QString &second = parts.at(1);
    if (parts.size() == 2 && second == u"lists") {
        if (get)
            return getLists(request);
        return post ? createList(request) : notAllowed;
    }
    if (parts.size() == 2 && second == u"folders") {
        if (get)
            return getFolders(request);
        return post ? createFolder(request) : notAllowed;
    }
    if (second == u"attributes") {
        if (parts.size() == 2)
            return get ? getAttributes() : notAllowed;
        if (parts.size() == 4)
            return post ? createAttribute(parts.at(2), parts.at(3), request) : notAllowed;
        return notFound;
    }
    if (parts.size() == 2 && second == u"import")
        return post ? importContacts(request) : notAllowed;
    if (parts.size() != 2)
        return notFound;

    BrevoContact *contact = findContact(second);
    if (!get && method != "PUT")
        return notAllowed;
    if (!contact)
        return error(404, u"document_not_found"_s, u"Contact does not exist"_s);
    if (get) {
        QJsonObject body = contactJson(*contact);
        body.insert(u"statistics"_s, QJsonObject()); // no campaign activity in the sandbox
        return json(body);
    }
    return updateContact(*contact, request);
}

QJsonObject BrevoSandbox::contactJson(const BrevoContact &c) const
{
    QJsonObject o{{u"email"_s, c.email},
            {u"id"_s, c.id},
            {u"emailBlacklisted"_s, c.emailBlacklisted},
            {u"smsBlacklisted"_s, c.smsBlacklisted},
            {u"createdAt"_s, timeText(c.createdAt)},
            {u"modifiedAt"_s, timeText(c.modifiedAt)},
            {u"listIds"_s, idArray(c.listIds)},
            {u"attributes"_s, c.attributes}};
    if (!c.listUnsubscribed.isEmpty())
        o.insert(u"listUnsubscribed"_s, idArray(c.listUnsubscribed));
    return o;
}

SandboxResponse BrevoSandbox::getContacts(const SandboxRequest &request) const
{
    const Page page = pageOf(request.query, defaultContactsPage, maxContactsPage);
    if (!page.error.isEmpty())
        return error(400, u"out_of_range"_s, page.error);
    QDateTime modifiedSince;
    QDateTime createdSince;
    for (const auto &[name, target] : {std::pair{u"modifiedSince"_s, &modifiedSince},
                                       std::pair{u"createdSince"_s, &createdSince}}) {
        if (!request.query.hasQueryItem(name))
            continue;
        *target = QDateTime::fromString(
            request.query.queryItemValue(name, QUrl::FullyDecoded), Qt::ISODateWithMs);
        if (!target->isValid())
            return error(400, u"invalid_parameter"_s,
                         u"%1 should be a date-time (YYYY-MM-DDTHH:mm:ss.SSSZ)"_s.arg(name));
    }
    const QString sort = request.query.queryItemValue(u"sort"_s);
    if (!sort.isEmpty() && sort != u"asc" && sort != u"desc")
        return error(400, u"invalid_parameter"_s, u"sort should be asc or desc"_s);

    QList<const BrevoContact *> matching;
    for (const BrevoContact &c : m_contacts) {
        if (modifiedSince.isValid() && c.modifiedAt <= modifiedSince)
            continue;
        if (createdSince.isValid() && c.createdAt <= createdSince)
            continue;
        matching.append(&c);
    }
    // Creation order (ids grow with it); Brevo's default is descending.
    if (sort != u"asc")
        std::reverse(matching.begin(), matching.end());
    QJsonArray contacts;
    for (qsizetype i = page.offset; i < matching.size() && contacts.size() < page.limit; ++i)
        contacts.append(contactJson(*matching.at(i)));
    return json({{u"contacts"_s, contacts}, {u"count"_s, matching.size()}});
}

void BrevoSandbox::applyAttributes(BrevoContact &contact, const QJsonObject &attributes,
                                   bool emptyClears) const
{
    for (auto it = attributes.begin(); it != attributes.end(); ++it) {
        const QString name = it.key().toUpper();
        if (name == u"EMAIL" || !findAttribute(name))
            continue; // unknown attributes are ignored, as Brevo's import does
        if (isEmptyValue(it.value())) {
            if (emptyClears)
                contact.attributes.remove(name);
            continue;
        }
        contact.attributes.insert(name, it.value());
    }
}

SandboxResponse BrevoSandbox::createContact(const SandboxRequest &request)
{
    QJsonObject body;
    if (!parseObject(request.body, &body))
        return error(400, u"bad_request"_s, u"Input must be a valid JSON object"_s);
    const QString email = body.value(u"email"_s).toString().trimmed().toLower();
    if (email.isEmpty())
        return error(400, u"missing_parameter"_s, u"email is missing"_s);
    if (!EmailAddress::isValid(email.toUtf8()))
        return error(400, u"invalid_parameter"_s, u"Invalid email address"_s);
    QList<qint64> listIds;
    if (!idsOf(body.value(u"listIds"_s), &listIds))
        return error(400, u"invalid_parameter"_s, u"listIds should be an array of ids"_s);
    for (const qint64 id : std::as_const(listIds)) {
        if (!hasList(id))
            return error(404, u"document_not_found"_s, u"List ID does not exist"_s);
    }
    if (body.contains(u"attributes"_s) && !body.value(u"attributes"_s).isObject())
        return error(400, u"invalid_parameter"_s, u"attributes should be an object"_s);

    BrevoContact *existing = findContact(email);
    if (existing && !body.value(u"updateEnabled"_s).toBool())
        return error(400, u"duplicate_parameter"_s, u"Contact already exist"_s);
    BrevoContact fresh;
    BrevoContact &c = existing ? *existing : fresh;
    c.email = email;
    applyAttributes(c, body.value(u"attributes"_s).toObject(), false);
    if (body.value(u"emailBlacklisted"_s).isBool())
        c.emailBlacklisted = body.value(u"emailBlacklisted"_s).toBool();
    if (body.value(u"smsBlacklisted"_s).isBool())
        c.smsBlacklisted = body.value(u"smsBlacklisted"_s).toBool();
    for (const qint64 id : std::as_const(listIds)) {
        if (!c.listIds.contains(id))
            c.listIds.append(id);
    }
    c.modifiedAt = now();
    if (existing)
        return noContent();
    const qint64 id = putContact(fresh);
    return json({{u"id"_s, id}}, 201);
}

SandboxResponse BrevoSandbox::updateContact(BrevoContact &contact, const SandboxRequest &request)
{
    QJsonObject body;
    if (!parseObject(request.body, &body))
        return error(400, u"bad_request"_s, u"Input must be a valid JSON object"_s);
    QList<qint64> listIds;
    QList<qint64> unlink;
    if (!idsOf(body.value(u"listIds"_s), &listIds)
        || !idsOf(body.value(u"unlinkListIds"_s), &unlink))
        return error(400, u"invalid_parameter"_s, u"listIds should be an array of ids"_s);
    for (const qint64 id : listIds + unlink) {
        if (!hasList(id))
            return error(404, u"document_not_found"_s, u"List ID does not exist"_s);
    }
    const QJsonObject attributes = body.value(u"attributes"_s).toObject();
    const QString newEmail = attributes.value(u"EMAIL"_s).toString().trimmed().toLower();
    if (!newEmail.isEmpty() && newEmail != contact.email) {
        if (!EmailAddress::isValid(newEmail.toUtf8()))
            return error(400, u"invalid_parameter"_s, u"Invalid email address"_s);
        if (findContact(newEmail))
            return error(400, u"duplicate_parameter"_s, u"Contact already exist"_s);
        m_contactIndex.insert(newEmail, m_contactIndex.take(contact.email));
        contact.email = newEmail;
    }
    applyAttributes(contact, attributes, false);
    if (body.value(u"emailBlacklisted"_s).isBool())
        contact.emailBlacklisted = body.value(u"emailBlacklisted"_s).toBool();
    if (body.value(u"smsBlacklisted"_s).isBool())
        contact.smsBlacklisted = body.value(u"smsBlacklisted"_s).toBool();
    for (const qint64 id : std::as_const(listIds)) {
        if (!contact.listIds.contains(id))
            contact.listIds.append(id);
    }
    for (const qint64 id : std::as_const(unlink))
        contact.listIds.removeAll(id);
    contact.modifiedAt = now();
    return noContent();
}

QJsonObject BrevoSandbox::listJson(const BrevoList &list) const
{
    qint64 subscribers = 0;
    qint64 blacklisted = 0;
    for (const BrevoContact &c : m_contacts) {
        if (c.listIds.contains(list.id)) {
            ++subscribers;
            blacklisted += c.emailBlacklisted;
        }
    }
    return {{u"id"_s, list.id},
            {u"name"_s, list.name},
            {u"totalBlacklisted"_s, blacklisted},
            {u"totalSubscribers"_s, subscribers},
            {u"uniqueSubscribers"_s, subscribers},
            {u"folderId"_s, list.folderId}};
}

SandboxResponse BrevoSandbox::getLists(const SandboxRequest &request) const
{
    const Page page = pageOf(request.query, defaultListsPage, maxListsPage);
    if (!page.error.isEmpty())
        return error(400, u"out_of_range"_s, page.error);
    QJsonArray lists;
    for (qsizetype i = page.offset; i < m_lists.size() && lists.size() < page.limit; ++i)
        lists.append(listJson(m_lists.at(i)));
    return json({{u"lists"_s, lists}, {u"count"_s, m_lists.size()}});
}

SandboxResponse BrevoSandbox::createList(const SandboxRequest &request)
{
    QJsonObject body;
    if (!parseObject(request.body, &body))
        return error(400, u"bad_request"_s, u"Input must be a valid JSON object"_s);
    const QString name = body.value(u"name"_s).toString().trimmed();
    if (name.isEmpty())
        return error(400, u"missing_parameter"_s, u"name is missing"_s);
    if (!body.value(u"folderId"_s).isDouble())
        return error(400, u"missing_parameter"_s, u"folderId is missing"_s);
    const qint64 folderId = qint64(body.value(u"folderId"_s).toDouble());
    if (std::none_of(m_folders.cbegin(), m_folders.cend(),
                     [folderId](const BrevoFolder &f) { return f.id == folderId; }))
        return error(404, u"document_not_found"_s, u"Folder ID does not exist"_s);
    return json({{u"id"_s, addList(name, folderId)}}, 201);
}

SandboxResponse BrevoSandbox::getFolders(const SandboxRequest &request) const
{
    const Page page = pageOf(request.query, defaultListsPage, maxListsPage);
    if (!page.error.isEmpty())
        return error(400, u"out_of_range"_s, page.error);
    QJsonArray folders;
    for (qsizetype i = page.offset; i < m_folders.size() && folders.size() < page.limit; ++i) {
        const BrevoFolder &f = m_folders.at(i);
        QSet<qint64> unique;
        qint64 subscribers = 0;
        qint64 blacklisted = 0;
        for (const BrevoList &l : m_lists) {
            if (l.folderId != f.id)
                continue;
            for (const BrevoContact &c : m_contacts) {
                if (!c.listIds.contains(l.id))
                    continue;
                ++subscribers;
                blacklisted += c.emailBlacklisted;
                unique.insert(c.id);
            }
        }
        folders.append(QJsonObject{{u"id"_s, f.id},
                                   {u"name"_s, f.name},
                                   {u"totalBlacklisted"_s, blacklisted},
                                   {u"totalSubscribers"_s, subscribers},
                                   {u"uniqueSubscribers"_s, unique.size()}});
    }
    return json({{u"folders"_s, folders}, {u"count"_s, m_folders.size()}});
}

SandboxResponse BrevoSandbox::createFolder(const SandboxRequest &request)
{
    QJsonObject body;
    if (!parseObject(request.body, &body))
        return error(400, u"bad_request"_s, u"Input must be a valid JSON object"_s);
    const QString name = body.value(u"name"_s).toString().trimmed();
    if (name.isEmpty())
        return error(400, u"missing_parameter"_s, u"name is missing"_s);
    return json({{u"id"_s, addFolder(name)}}, 201);
}

SandboxResponse BrevoSandbox::getAttributes() const
{
    QJsonArray attributes;
    for (const BrevoAttribute &a : m_attributes) {
        QJsonObject o{{u"name"_s, a.name}, {u"category"_s, a.category}};
        if (!a.type.isEmpty())
            o.insert(u"type"_s, a.type);
        if (!a.enumeration.isEmpty())
            o.insert(u"enumeration"_s, a.enumeration);
        attributes.append(o);
    }
    return json({{u"attributes"_s, attributes}});
}

SandboxResponse BrevoSandbox::createAttribute(const QString &category, const QString &name,
                                              const SandboxRequest &request)
{
    static const QStringList categories{u"normal"_s, u"transactional"_s, u"category"_s,
                                        u"calculated"_s, u"global"_s};
    static const QStringList types{u"text"_s, u"date"_s,     u"float"_s,          u"boolean"_s,
                                   u"id"_s,   u"category"_s, u"multiple-choice"_s};
    if (!categories.contains(category))
        return error(400, u"invalid_parameter"_s, u"Invalid attribute category"_s);
    QJsonObject body;
    if (!request.body.trimmed().isEmpty() && !parseObject(request.body, &body))
        return error(400, u"bad_request"_s, u"Input must be a valid JSON object"_s);
    const QString upper = name.toUpper();
    if (upper.isEmpty())
        return error(400, u"missing_parameter"_s, u"attributeName is missing"_s);
    if (findAttribute(upper))
        return error(400, u"duplicate_parameter"_s, u"Attribute name already exists"_s);
    QString type = body.value(u"type"_s).toString();
    if (type.isEmpty())
        type = category == u"category" ? u"category"_s : u"text"_s;
    if (!types.contains(type))
        return error(400, u"invalid_parameter"_s, u"Invalid attribute type"_s);
    BrevoAttribute a{upper, category, type, body.value(u"enumeration"_s).toArray(), {}};
    if (type == u"category" || category == u"category") {
        if (a.enumeration.isEmpty())
            return error(400, u"missing_parameter"_s, u"enumeration is missing"_s);
        a.category = u"category"_s;
        a.type = u"text"_s; // category attributes read back as text with an enumeration
    } else if (type == u"multiple-choice") {
        if (category != u"normal")
            return error(400, u"invalid_parameter"_s,
                         u"multiple-choice attributes must be in the normal category"_s);
        for (const QJsonValue &v : body.value(u"multiCategoryOptions"_s).toArray())
            a.multiCategoryOptions.append(v.toString());
        a.type.clear(); // not one of the types getAttributes lists
    }
    m_attributes.append(a);
    SandboxResponse r;
    r.status = 201;
    r.contentType.clear();
    return r;
}

SandboxResponse BrevoSandbox::importContacts(const SandboxRequest &request)
{
    if (request.body.size() > maxImportBytes)
        return error(400, u"out_of_range"_s,
                     u"Request body is larger than the 8 MB limit; split the import"_s);
    QJsonObject body;
    if (!parseObject(request.body, &body))
        return error(400, u"bad_request"_s, u"Input must be a valid JSON object"_s);
    if (body.contains(u"fileUrl"_s) || body.contains(u"fileBody"_s))
        return error(400, u"invalid_parameter"_s,
                     u"The sandbox imports jsonBody only (fileUrl and fileBody are not "
                     "emulated)"_s);
    if (!body.value(u"jsonBody"_s).isArray())
        return error(400, u"missing_parameter"_s,
                     u"One of fileUrl, fileBody or jsonBody is required"_s);
    QList<qint64> listIds;
    if (!idsOf(body.value(u"listIds"_s), &listIds))
        return error(400, u"invalid_parameter"_s, u"listIds should be an array of ids"_s);
    for (const qint64 id : std::as_const(listIds)) {
        if (!hasList(id))
            return error(404, u"document_not_found"_s, u"List ID does not exist"_s);
    }
    if (body.value(u"newList"_s).isObject()) {
        const QJsonObject newList = body.value(u"newList"_s).toObject();
        const QString listName = newList.value(u"listName"_s).toString();
        const qint64 folderId = qint64(newList.value(u"folderId"_s).toDouble());
        if (listName.isEmpty()
            || std::none_of(m_folders.cbegin(), m_folders.cend(),
                            [folderId](const BrevoFolder &f) { return f.id == folderId; }))
            return error(400, u"invalid_parameter"_s, u"newList needs listName and folderId"_s);
        listIds.append(addList(listName, folderId));
    }
    if (listIds.isEmpty())
        return error(400, u"missing_parameter"_s, u"Either listIds or newList is required"_s);
    // The document says only "To blacklist all the contacts for email" (default false). Whether
    // an explicit false lifts the block of contacts that have one is not said; the sandbox takes
    // the reading that does harm, so a client that sends false is caught (BrevoWrite: false
    // is never written). Left out, blocks stay as they are.
    const QJsonValue blacklistValue = body.value(u"emailBlacklist"_s);
    const bool blacklist = blacklistValue.toBool(false);
    const bool unblacklist = blacklistValue.isBool() && !blacklist;
    const bool smsBlacklist = body.value(u"smsBlacklist"_s).toBool(false);
    const bool updateExisting = body.value(u"updateExistingContacts"_s).toBool(true);
    const bool emptyClears = body.value(u"emptyContactsAttributes"_s).toBool(false);

    // Brevo processes the file later; the sandbox applies it at once and reports it completed.
    // Rows without a valid email are skipped silently: the import is accepted (202) and
    // getProcess documents no per-row outcome (only id, name, status, export_url), so a client
    // learns of a dropped row only by reading the contacts back.
    const QDateTime t = now();
    for (const QJsonValue &row : body.value(u"jsonBody"_s).toArray()) {
        const QJsonObject o = row.toObject();
        QJsonObject attributes = o.value(u"attributes"_s).toObject();
        QString email = o.value(u"email"_s).toString();
        if (email.isEmpty())
            email = attributes.value(u"EMAIL"_s).toString();
        email = email.trimmed().toLower();
        if (!EmailAddress::isValid(email.toUtf8()))
            continue;
        BrevoContact *existing = findContact(email);
        if (existing && !updateExisting)
            continue;
        BrevoContact fresh;
        BrevoContact &c = existing ? *existing : fresh;
        const BrevoContact before = c;
        c.email = email;
        applyAttributes(c, attributes, emptyClears);
        if (blacklist)
            c.emailBlacklisted = true;
        else if (unblacklist)
            c.emailBlacklisted = false;
        if (smsBlacklist)
            c.smsBlacklisted = true;
        for (const qint64 id : std::as_const(listIds)) {
            if (!c.listIds.contains(id))
                c.listIds.append(id);
        }
        // Sandbox decision (the document does not say): a row that changes nothing leaves
        // modifiedAt as it was, so a client cannot count on modifiedSince to find every row
        // of an import it sends twice.
        const bool changed = !existing || c.attributes != before.attributes
                             || c.listIds != before.listIds
                             || c.emailBlacklisted != before.emailBlacklisted
                             || c.smsBlacklisted != before.smsBlacklisted;
        if (changed)
            c.modifiedAt = t;
        if (!existing) {
            c.createdAt = t;
            putContact(fresh);
        }
    }
    const qint64 id = m_nextProcessId++;
    m_processes.append({id, u"import_contacts"_s, u"completed"_s, m_importPolls});
    return json({{u"processId"_s, id}}, 202);
}

SandboxResponse BrevoSandbox::getProcess(const QString &id)
{
    bool ok = false;
    const qint64 n = id.toLongLong(&ok);
    for (BrevoProcess &p : m_processes) {
        if (ok && p.id == n) {
            // The import was applied at once; setImportPolls() lets a client see it running.
            const QString status = p.pollsLeft > 0 ? u"in_process"_s : p.status;
            p.pollsLeft = std::max(0, p.pollsLeft - 1);
            return json({{u"id"_s, p.id}, {u"name"_s, p.name}, {u"status"_s, status}});
        }
    }
    return error(404, u"document_not_found"_s, u"Process does not exist"_s);
}

SandboxResponse BrevoSandbox::getAccount() const
{
    return json({{u"email"_s, u"sandbox@example.com"_s},
                 {u"firstName"_s, u"Sandbox"_s},
                 {u"lastName"_s, u"Account"_s},
                 {u"companyName"_s, u"Stagecoach Sandbox"_s},
                 {u"address"_s, QJsonObject{{u"street"_s, u"1 Example Street"_s},
                                            {u"city"_s, u"Example"_s},
                                            {u"zipCode"_s, u"00000"_s},
                                            {u"country"_s, u"France"_s}}},
                 {u"plan"_s, QJsonArray{QJsonObject{{u"type"_s, u"free"_s},
                                                    {u"creditsType"_s, u"sendLimit"_s},
                                                    {u"credits"_s, 300}}}},
                 {u"relay"_s, QJsonObject{{u"enabled"_s, true},
                                          {u"data"_s, QJsonObject{{u"userName"_s,
                                                                   u"sandbox@example.com"_s},
                                                                  {u"relay"_s,
                                                                   u"smtp-relay.brevo.com"_s},
                                                                  {u"port"_s, 587}}}}}});
}
