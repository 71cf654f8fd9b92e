#pragma once

#include "assessment/asset.h"
#include "assessment/inventory.h"
#include "core/result.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QSqlDatabase>
#include <QStringList>

#include <optional>

struct StoredAssessment
{
    QStringList files;
    QDateTime assessedAt;
    Inventory inventory; ///< without findings (they stay in the file; see FindingsModel)
};

/** Reads and writes the assessment and the hand-entered assets in a project file. */
class AssessmentRepository
{
    Q_DECLARE_TR_FUNCTIONS(AssessmentRepository)

public:
    explicit AssessmentRepository(QSqlDatabase db) : m_db(std::move(db)) {}

    /// Replaces the stored assessment and its findings, and merges the assets read with it
    /// (by kind and name, keeping plans and notes), in one transaction.
    Status save(const QStringList &files, const Inventory &inventory, const QDateTime &when,
                const QList<Asset> &readAssets = {});
    std::optional<StoredAssessment> load() const;
    /// Forgets the stored assessment and its findings.
    Status clear();
    qint64 findingCount(Finding::Kind kind) const;

    QList<Asset> assets(AssetKind kind) const;
    QMap<AssetKind, int> assetCounts() const;
    Result<qint64> addAsset(AssetKind kind, const QString &name = {});
    Status updateAsset(const Asset &asset);
    Status removeAsset(qint64 id);

private:
    QSqlDatabase m_db;
};
