// BrevoSandbox: POST /contacts/lists/{listId}/contacts/add (addContactToList in
// ../shared/specs/brevo/swagger.yaml). It is a /contacts/* path, so handle() counts it in the
// contacts rate class like every other one.
#include "sandbox/brevosandbox.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

SandboxResponse BrevoSandbox::addContactsToList(qint64 id, const SandboxRequest &request)
{
    if (!hasList(id))
        return error(404, u"document_not_found"_s, u"List ID does not exist"_s);
    const QJsonDocument doc = QJsonDocument::fromJson(request.body);
    if (!doc.isObject())
        return error(400, u"bad_request"_s, u"Input must be a valid JSON object"_s);
    const QJsonObject body = doc.object();
    // "emails: Mandatory if IDs are not passed, ignored otherwise": ids win when both are sent.
    const bool byId = body.value(u"ids"_s).isArray();
    const QJsonValue given = byId ? body.value(u"ids"_s) : body.value(u"emails"_s);
    if (!given.isArray() || given.toArray().isEmpty())
        return error(400, u"missing_parameter"_s, u"emails or ids are missing"_s);
    const QJsonArray items = given.toArray();
    if (items.size() > maxListAdd) {
        return error(400, u"out_of_range"_s,
                     u"You can pass a maximum of %1 %2 in one request"_s.arg(maxListAdd)
                         .arg(byId ? u"ids"_s : u"emails"_s));
    }
    for (const QJsonValue &v : items) {
        if (byId ? !v.isDouble() : !v.isString())
            return error(400, u"invalid_parameter"_s,
                         byId ? u"ids should be an array of integers"_s
                              : u"emails should be an array of strings"_s);
    }
    // postContactInfo: failure is "could be already in/out list and/or doesn't exist"; the
    // sandbox names both there (and the addresses refused with refuseListAdd). Adding changes a
    // contact, so its modifiedAt moves (the spec does not say; the sandbox decides so).
    QJsonArray success;
    QJsonArray failure;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QJsonValue &v : items) {
        const QString key = byId ? QString::number(v.toInteger()) : v.toString().trimmed();
        BrevoContact *c = findContact(key);
        // postContactInfo_contacts types both arrays as strings (format email): an address is
        // echoed as sent; for an id the sandbox answers the contact's address, or the id as
        // text when there is no such contact (the spec does not say).
        const QString echo = !byId ? v.toString() : c ? c->email : key;
        if (!c || c->listIds.contains(id) || (!byId && m_refusedListAdds.contains(key.toLower()))) {
            failure.append(echo);
            continue;
        }
        c->listIds.append(id);
        c->modifiedAt = now;
        success.append(echo);
    }
    return SandboxResponse::fromJson(
        {{u"contacts"_s, QJsonObject{{u"success"_s, success}, {u"failure"_s, failure}}}}, 201);
}
