#pragma once

// What the parts of BrevoConnector (brevotarget.cpp, brevoimport.cpp) share; not an API.

#include "connectors/brevo/brevoconnector.h"
#include "connectors/transport/httpclient.h"

#include <QSet>
#include <QTimer>

namespace BrevoInternal {

using SharedPtr = std::shared_ptr<BrevoConnector::Shared>;

struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(BrevoConnector)
};

/// A list id as text to a number; an Error naming the text when it is not one.
Result<qint64> listId(const QString &text);

/// The id of the first item named `name` (trimmed) in a listing; 0 when there is none.
qint64 findByName(const QJsonArray &items, const QString &name,
                  const QString &key = QStringLiteral("name"));
/// POST of `body` to `path` that answers {id}: the new id.
QFuture<Result<qint64>> create(const SharedPtr &s, const QString &path, const QJsonObject &body);
/// The id of the migration's folder (BrevoConnector::folderName()), created when missing.
QFuture<Result<qint64>> ensureFolder(const SharedPtr &s);

/// Finds or creates the marketing list and its holding list (in the migration's folder).
QFuture<Result<EnsuredItem>> ensureList(const SharedPtr &s, const QString &name);

/// The holding list of a marketing list: cached, else found by name. `create`: ensure it
/// (writes), else 0 when there is none (reads).
QFuture<Result<qint64>> holdingList(const SharedPtr &s, qint64 listId, bool create);

/// The account's attribute names (upper case), read once and kept up to date by ensureFields.
QFuture<Result<QSet<QString>>> knownAttributes(const SharedPtr &s);

/// Imports a batch with POST /contacts/import, polls the process and verifies by reading back.
QFuture<Result<BatchResult>> importBatch(const SharedPtr &s, qint64 listId,
                                         const QList<TargetContact> &contacts, bool suppressions);

/// Runs `f` after `ms` on the network thread.
template<typename F>
void later(const SharedPtr &s, int ms, F f)
{
    QTimer::singleShot(ms, s->client, std::move(f));
}

} // namespace BrevoInternal
