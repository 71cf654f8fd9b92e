// BrevoConnector's contact writes, last step: tags. Brevo contacts have no tags (esp-apis.md
// 2.2), so each tag becomes a list in the migration's folder: "Tag: <tag>" for contacts on the
// marketing list, "Tag: <tag> — do not mail" for contacts on the holding list, so that a tag
// list never makes a contact without marketing consent part of a list a campaign can be sent to.
// Contacts are added with POST /contacts/lists/{listId}/contacts/add (addContactToList, at most
// 150 emails a call); only contacts the import wrote get their tags.
#include "connectors/brevo/brevoimport_p.h"

#include <QJsonDocument>
#include <QMap>

using namespace Qt::StringLiterals;
using namespace BrevoInternal;

namespace BrevoImport {
namespace {

/// addContactToList: "You can pass a maximum of 150 emails for addition in one request".
constexpr int kMaxAdd = 150;
constexpr int kListsPage = 50;

struct TagList
{
    QString tag;        // trimmed, as the contact carries it
    QString name;       // the Brevo list's name
    QStringList emails; // lower-cased, each once
    qint64 id = 0;
};

struct TagsRun
{
    JobPtr job;
    QList<TagList> lists;
    int list = 0;                       // the list being filled
    qsizetype offset = 0;               // within its emails still to add
    QStringList toAdd;                  // its emails not on it yet
    QMap<QString, QList<int>> doubtful; // email -> lists Brevo named it a failure for
    QMap<QString, QStringList> failedTags;
    QStringList checks; // doubtful emails, looked up one by one
    int checkAt = 0;
};
using RunPtr = std::shared_ptr<TagsRun>;

QString tagListName(const QString &tag, bool marketing)
{
    // The swagger (createList) gives list names no length limit, so the tag is kept whole.
    const QString name = u"Tag: "_s + tag;
    return marketing ? name : BrevoConnector::holdingListName(name);
}

void done(const RunPtr &run)
{
    for (auto it = run->failedTags.cbegin(); it != run->failedTags.cend(); ++it) {
        QStringList quoted;
        for (const QString &tag : it.value())
            quoted.append(u'"' + tag + u'"');
        run->job->failures.insert(
            it.key(),
            {{},
             u"tag_not_written"_s,
             quoted.size() == 1
                 ? Tr::tr("The contact was written, but Brevo did not add it to the list of "
                          "tag %1.")
                       .arg(quoted.first())
                 : Tr::tr("The contact was written, but Brevo did not add it to the lists of "
                          "tags %1.")
                       .arg(quoted.join(u", "_s))});
    }
    finishJob(run->job);
}

/// A failure answer can mean "already on the list" (a retried request): each address Brevo
/// named is read back once, and only a contact still missing from a list is a failure.
void checkNext(const RunPtr &run)
{
    if (run->checkAt >= run->checks.size())
        return done(run);
    const QString email = run->checks.at(run->checkAt++);
    const SharedPtr &s = run->job->s;
    ++run->job->result.requests;
    const QString path
        = u"/contacts/"_s + QString::fromLatin1(QUrl::toPercentEncoding(email, "@+"));
    s->json(s->request("GET", path)).then([run, email](const Result<QJsonObject> &contact) {
        if (!contact && contact.error().httpStatus != 404)
            return finishJob(run->job, contact.error());
        QSet<qint64> lists;
        if (contact) {
            for (const QJsonValue &v : contact->value(u"listIds"_s).toArray())
                lists.insert(v.toInteger());
        }
        for (const int i : run->doubtful.value(email)) {
            if (!lists.contains(run->lists.at(i).id))
                run->failedTags[email].append(run->lists.at(i).tag);
        }
        checkNext(run);
    });
}

void addNext(const RunPtr &run);

void startList(const RunPtr &run)
{
    if (run->list >= run->lists.size()) {
        run->checks = run->doubtful.keys();
        return checkNext(run);
    }
    const TagList &list = run->lists.at(run->list);
    run->toAdd.clear();
    run->offset = 0;
    // Contacts the read-back found on the list already are not sent again.
    for (const QString &email : list.emails) {
        if (!run->job->listsOf.value(email).contains(list.id))
            run->toAdd.append(email);
    }
    addNext(run);
}

void addNext(const RunPtr &run)
{
    if (run->offset >= run->toAdd.size()) {
        ++run->list;
        return startList(run);
    }
    const QStringList emails = run->toAdd.mid(run->offset, kMaxAdd);
    run->offset += emails.size();
    const SharedPtr &s = run->job->s;
    const QJsonObject body{{u"emails"_s, QJsonArray::fromStringList(emails)}};
    HttpRequest request
        = s->request("POST", u"/contacts/lists/%1/contacts/add"_s.arg(run->lists.at(run->list).id),
                     {}, QJsonDocument(body).toJson(QJsonDocument::Compact));
    // Adding is keyed by email: sent twice, the second answer names them in failure, and
    // checkNext() finds them on the list.
    request.idempotent = true;
    ++run->job->result.requests;
    s->json(request).then([run](const Result<QJsonObject> &answer) {
        if (!answer)
            return finishJob(run->job, answer.error());
        const QJsonArray failure
            = answer->value(u"contacts"_s).toObject().value(u"failure"_s).toArray();
        for (const QJsonValue &v : failure)
            run->doubtful[v.toString().trimmed().toLower()].append(run->list);
        addNext(run);
    });
}

/// Creates the tag lists not found, one after the other, in the migration's folder.
void createMissing(const RunPtr &run, qint64 folderId, int from)
{
    for (int i = from; i < run->lists.size(); ++i) {
        if (run->lists.at(i).id)
            continue;
        const SharedPtr &s = run->job->s;
        create(s, u"/contacts/lists"_s,
               {{u"name"_s, run->lists.at(i).name}, {u"folderId"_s, folderId}})
            .then([run, folderId, i](const Result<qint64> &id) {
                if (!id)
                    return finishJob(run->job, id.error());
                run->lists[i].id = id.value();
                {
                    QMutexLocker lock(&run->job->s->mutex);
                    run->job->s->tagLists.insert(run->lists.at(i).name, id.value());
                }
                createMissing(run, folderId, i + 1);
            });
        return;
    }
    startList(run);
}

/// Finds the tag lists by name (cached per connector), creates the missing ones, then adds.
void resolveLists(const RunPtr &run)
{
    const SharedPtr &s = run->job->s;
    bool all = true;
    {
        QMutexLocker lock(&s->mutex);
        for (TagList &list : run->lists) {
            list.id = s->tagLists.value(list.name);
            all = all && list.id;
        }
    }
    if (all)
        return startList(run);
    s->collect(u"/contacts/lists"_s, {}, u"lists"_s, kListsPage)
        .then([run](const Result<QJsonArray> &lists) {
            if (!lists)
                return finishJob(run->job, lists.error());
            const SharedPtr &s = run->job->s;
            bool missing = false;
            for (TagList &list : run->lists) {
                if (!list.id)
                    list.id = findByName(lists.value(), list.name);
                missing = missing || !list.id;
                if (list.id) {
                    QMutexLocker lock(&s->mutex);
                    s->tagLists.insert(list.name, list.id);
                }
            }
            if (!missing)
                return startList(run);
            ensureFolder(s).then([run](const Result<qint64> &folder) {
                if (!folder)
                    return finishJob(run->job, folder.error());
                createMissing(run, folder.value(), 0);
            });
        });
}

} // namespace

void writeTags(const JobPtr &job)
{
    // The last row of a repeated address is the one imported (plan()); so are its tags.
    QHash<QString, const TargetContact *> last;
    for (const TargetContact &c : std::as_const(job->contacts))
        last.insert(c.email.trimmed().toLower(), &c);
    QMap<QString, TagList> byName;
    QSet<QString> seen;
    for (const TargetContact &c : std::as_const(job->contacts)) {
        const QString email = c.email.trimmed().toLower();
        if (seen.contains(email) || job->failures.contains(email))
            continue;
        seen.insert(email);
        const TargetContact *contact = last.value(email);
        QSet<QString> names; // a tag given twice is added once
        for (const QString &raw : contact->tags) {
            const QString tag = raw.trimmed();
            if (tag.isEmpty())
                continue;
            const QString name = tagListName(tag, contact->write.brevo.marketingList);
            if (names.contains(name))
                continue;
            names.insert(name);
            TagList &list = byName[name];
            list.tag = tag;
            list.name = name;
            list.emails.append(email);
        }
    }
    if (byName.isEmpty())
        return finishJob(job);
    auto run = std::make_shared<TagsRun>();
    run->job = job;
    run->lists = byName.values();
    resolveLists(run);
}

} // namespace BrevoImport
