// BrevoConnector as a target: lists (with the holding list), attributes, templates
// (esp-apis.md 2.3 to 2.7).
#include "connectors/brevo/brevoconnector_p.h"

#include "connectors/brevo/brevojson.h"

#include <QJsonDocument>
#include <QPromise>

using namespace Qt::StringLiterals;
using namespace BrevoInternal;

namespace {

constexpr int kListsPage = 50;
constexpr int kFoldersPage = 50;
constexpr int kTemplatesPage = 1000;

QByteArray compact(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

struct EnsureListState
{
    QPromise<Result<EnsuredItem>> promise;
    QString name;
    qint64 folderId = 0;
    qint64 marketing = 0;
    qint64 holding = 0;
    bool createdMarketing = false;
};

void finishEnsure(const SharedPtr &s, const std::shared_ptr<EnsureListState> &st)
{
    {
        QMutexLocker lock(&s->mutex);
        s->holding.insert(st->marketing, st->holding);
    }
    st->promise.addResult(EnsuredItem{QString::number(st->marketing), st->name,
                                      st->createdMarketing, FieldType::Text});
    st->promise.finish();
}

void fail(const std::shared_ptr<EnsureListState> &st, const Error &e)
{
    st->promise.addResult(e);
    st->promise.finish();
}

/// Creates what is missing of the two lists, marketing list first.
void createMissing(const SharedPtr &s, const std::shared_ptr<EnsureListState> &st)
{
    if (st->marketing && st->holding) {
        finishEnsure(s, st);
        return;
    }
    const bool marketing = st->marketing == 0;
    const QString name = marketing ? st->name : BrevoConnector::holdingListName(st->name);
    create(s, u"/contacts/lists"_s, {{u"name"_s, name}, {u"folderId"_s, st->folderId}})
        .then([s, st, marketing](const Result<qint64> &id) {
            if (!id)
                return fail(st, id.error());
            if (marketing) {
                st->marketing = id.value();
                st->createdMarketing = true;
            } else {
                st->holding = id.value();
            }
            createMissing(s, st);
        });
}

struct FieldsState
{
    QPromise<Result<QList<EnsuredItem>>> promise;
    QList<FieldSpec> specs;
    QHash<QString, QString> existing; // name -> type
    QList<EnsuredItem> items;
};

void ensureNextField(const SharedPtr &s, const std::shared_ptr<FieldsState> &st)
{
    if (st->items.size() == st->specs.size()) {
        st->promise.addResult(st->items);
        st->promise.finish();
        return;
    }
    const FieldSpec &spec = st->specs.at(st->items.size());
    const QString name = spec.name.trimmed().toUpper();
    if (st->existing.contains(name)) {
        st->items.append({name, name, false, BrevoJson::fieldType(st->existing.value(name))});
        ensureNextField(s, st);
        return;
    }
    const QString type = BrevoJson::attributeType(spec.type);
    const QString path = u"/contacts/attributes/normal/%1"_s.arg(
        QString::fromLatin1(QUrl::toPercentEncoding(name)));
    s->json(s->request("POST", path, {}, compact({{u"type"_s, type}})))
        .then([s, st, name, type](const Result<QJsonObject> &answer) {
            // duplicate_parameter: created meanwhile (another run); it exists, so carry on.
            if (!answer && answer.error().code != u"duplicate_parameter") {
                st->promise.addResult(answer.error());
                st->promise.finish();
                return;
            }
            st->existing.insert(name, type);
            {
                QMutexLocker lock(&s->mutex);
                if (s->attributes)
                    s->attributes->insert(name);
            }
            st->items.append({name, name, bool(answer), BrevoJson::fieldType(type)});
            ensureNextField(s, st);
        });
}

} // namespace

namespace BrevoInternal {

qint64 findByName(const QJsonArray &items, const QString &name, const QString &key)
{
    for (const QJsonValue &v : items) {
        const QJsonObject o = v.toObject();
        if (o.value(key).toString().trimmed() == name)
            return o.value(u"id"_s).toInteger();
    }
    return 0;
}

/// POST that answers {id}: the new id.
QFuture<Result<qint64>> create(const SharedPtr &s, const QString &path, const QJsonObject &body)
{
    return s->json(s->request("POST", path, {}, compact(body)))
        .then([](const Result<QJsonObject> &answer) -> Result<qint64> {
            if (!answer)
                return answer.error();
            return answer->value(u"id"_s).toInteger();
        });
}

QFuture<Result<qint64>> ensureFolder(const SharedPtr &s)
{
    return s->collect(u"/contacts/folders"_s, {}, u"folders"_s, kFoldersPage)
        .then([s](const Result<QJsonArray> &folders) -> QFuture<Result<qint64>> {
            if (!folders)
                return Connectors::ready(Result<qint64>(folders.error()));
            if (const qint64 id = findByName(folders.value(), BrevoConnector::folderName()))
                return Connectors::ready(Result<qint64>(id));
            return create(s, u"/contacts/folders"_s, {{u"name"_s, BrevoConnector::folderName()}});
        })
        .unwrap();
}

} // namespace BrevoInternal

Result<qint64> BrevoInternal::listId(const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0)
        return Error(Tr::tr("\"%1\" is not a Brevo list id.").arg(text));
    return id;
}

QFuture<Result<EnsuredItem>> BrevoInternal::ensureList(const SharedPtr &s, const QString &name)
{
    auto st = std::make_shared<EnsureListState>();
    st->name = name.trimmed();
    st->promise.start();
    QFuture<Result<EnsuredItem>> future = st->promise.future();
    if (st->name.isEmpty()) {
        fail(st, Error(Tr::tr("A Brevo list needs a name.")));
        return future;
    }
    s->collect(u"/contacts/lists"_s, {}, u"lists"_s, kListsPage)
        .then([s, st](const Result<QJsonArray> &lists) {
            if (!lists)
                return fail(st, lists.error());
            st->marketing = findByName(lists.value(), st->name);
            st->holding = findByName(lists.value(), BrevoConnector::holdingListName(st->name));
            if (st->marketing && st->holding)
                return finishEnsure(s, st);
            ensureFolder(s).then([s, st](const Result<qint64> &folder) {
                if (!folder)
                    return fail(st, folder.error());
                st->folderId = folder.value();
                createMissing(s, st);
            });
        });
    return future;
}

QFuture<Result<qint64>> BrevoInternal::holdingList(const SharedPtr &s, qint64 listId, bool create)
{
    {
        QMutexLocker lock(&s->mutex);
        if (s->holding.contains(listId))
            return Connectors::ready(Result<qint64>(s->holding.value(listId)));
    }
    // Not learnt by ensureList in this run: the marketing list's name leads to it.
    return s->json(s->request("GET", u"/contacts/lists/%1"_s.arg(listId)))
        .then([s, listId, create](const Result<QJsonObject> &list) -> QFuture<Result<qint64>> {
            if (!list)
                return Connectors::ready(Result<qint64>(list.error()));
            const QString name = list->value(u"name"_s).toString().trimmed();
            if (create) {
                return ensureList(s, name).then(
                    [s, listId](const Result<EnsuredItem> &item) -> Result<qint64> {
                        if (!item)
                            return item.error();
                        if (item->id != QString::number(listId))
                            return Error(Tr::tr("Two Brevo lists are named \"%1\"; rename one "
                                                "so the migration knows which to use.")
                                             .arg(item->name));
                        QMutexLocker lock(&s->mutex);
                        return s->holding.value(listId);
                    });
            }
            return s->collect(u"/contacts/lists"_s, {}, u"lists"_s, kListsPage)
                .then([s, listId, name](const Result<QJsonArray> &lists) -> Result<qint64> {
                    if (!lists)
                        return lists.error();
                    const qint64 holding
                        = findByName(lists.value(), BrevoConnector::holdingListName(name));
                    if (holding) {
                        QMutexLocker lock(&s->mutex);
                        s->holding.insert(listId, holding);
                    }
                    return holding;
                });
        })
        .unwrap();
}

QFuture<Result<EnsuredItem>> BrevoConnector::ensureList(const QString &name)
{
    return BrevoInternal::ensureList(m_shared, name);
}

QFuture<Result<QList<EnsuredItem>>> BrevoConnector::ensureFields(const QString &,
                                                                 const QList<FieldSpec> &fields)
{
    // Attributes belong to the account; the list id does not matter on Brevo.
    auto st = std::make_shared<FieldsState>();
    st->specs = fields;
    st->promise.start();
    QFuture<Result<QList<EnsuredItem>>> future = st->promise.future();
    SharedPtr s = m_shared;
    s->json(s->request("GET", u"/contacts/attributes"_s))
        .then([s, st](const Result<QJsonObject> &answer) {
            if (!answer) {
                st->promise.addResult(answer.error());
                st->promise.finish();
                return;
            }
            for (const QJsonValue &v : answer->value(u"attributes"_s).toArray()) {
                const QJsonObject a = v.toObject();
                st->existing.insert(a.value(u"name"_s).toString().toUpper(),
                                    a.value(u"type"_s).toString());
            }
            {
                QMutexLocker lock(&s->mutex);
                s->attributes = QSet<QString>(st->existing.keyBegin(), st->existing.keyEnd());
            }
            ensureNextField(s, st);
        });
    return future;
}

QFuture<Result<EnsuredItem>> BrevoConnector::writeTemplate(const TemplateContent &content)
{
    const QString name = content.name.trimmed();
    // createSmtpTemplate requires templateName, subject and a sender; htmlContent > 10 chars.
    if (name.isEmpty() || content.subject.trimmed().isEmpty()
        || content.senderEmail.trimmed().isEmpty() || content.html.size() <= 10) {
        return Connectors::ready(Result<EnsuredItem>(
            Error(tr("Brevo needs a template name, a subject, a sender address and more than 10 "
                     "characters of HTML."),
                  name, tr("Fill in the sender on the templates page and try again."))));
    }
    SharedPtr s = m_shared;
    QUrlQuery q;
    q.addQueryItem(u"sort"_s, u"asc"_s);
    QJsonObject sender{{u"email"_s, content.senderEmail.trimmed()}};
    if (!content.senderName.trimmed().isEmpty())
        sender.insert(u"name"_s, content.senderName.trimmed());
    const QJsonObject body{{u"templateName"_s, name},
                           {u"subject"_s, content.subject},
                           {u"sender"_s, sender},
                           {u"htmlContent"_s, content.html},
                           {u"isActive"_s, true}};
    // The names are read once per connector (the /smtp class has 300 requests an hour) and
    // kept up to date with what this connector creates.
    std::optional<QHash<QString, qint64>> cached;
    {
        QMutexLocker lock(&s->mutex);
        cached = s->templates;
    }
    QFuture<Result<QHash<QString, qint64>>> names;
    if (cached) {
        names = Connectors::ready(Result<QHash<QString, qint64>>(*cached));
    } else {
        names
            = s->collect(u"/smtp/templates"_s, q, u"templates"_s, kTemplatesPage)
                  .then([s](const Result<QJsonArray> &templates) -> Result<QHash<QString, qint64>> {
                      if (!templates)
                          return templates.error();
                      QHash<QString, qint64> byName;
                      for (const QJsonValue &v : templates.value()) {
                          const QJsonObject o = v.toObject();
                          const QString n = o.value(u"name"_s).toString().trimmed();
                          if (!byName.contains(n))
                              byName.insert(n, o.value(u"id"_s).toInteger());
                      }
                      QMutexLocker lock(&s->mutex);
                      s->templates = byName;
                      return byName;
                  });
    }
    return names
        .then([s, name,
               body](const Result<QHash<QString, qint64>> &byName) -> QFuture<Result<EnsuredItem>> {
            if (!byName)
                return Connectors::ready(Result<EnsuredItem>(byName.error()));
            if (const qint64 id = byName.value().value(name))
                return Connectors::ready(
                    Result<EnsuredItem>(EnsuredItem{QString::number(id), name, false}));
            return create(s, u"/smtp/templates"_s, body)
                .then([s, name](const Result<qint64> &id) -> Result<EnsuredItem> {
                    if (!id)
                        return id.error();
                    QMutexLocker lock(&s->mutex);
                    if (s->templates)
                        s->templates->insert(name, id.value());
                    return EnsuredItem{QString::number(id.value()), name, true};
                });
        })
        .unwrap();
}

QFuture<Result<BatchResult>> BrevoConnector::writeSuppressions(const QString &listId,
                                                               const QList<TargetContact> &contacts)
{
    const Result<qint64> id = BrevoInternal::listId(listId);
    if (!id)
        return Connectors::ready(Result<BatchResult>(id.error()));
    return importBatch(m_shared, id.value(), contacts, true);
}

QFuture<Result<BatchResult>> BrevoConnector::upsertContacts(const QString &listId,
                                                            const QList<TargetContact> &contacts)
{
    const Result<qint64> id = BrevoInternal::listId(listId);
    if (!id)
        return Connectors::ready(Result<BatchResult>(id.error()));
    return importBatch(m_shared, id.value(), contacts, false);
}
