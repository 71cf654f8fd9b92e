#pragma once

#include "assessment/assetsmodel.h"
#include "assessment/findingsmodel.h"
#include "assessment/inventory.h"
#include "assessment/inventorymodels.h"
#include "assessment/assessor.h"
#include "connectors/connector.h"
#include "core/result.h"

#include <QDateTime>
#include <QFutureWatcher>
#include <QMap>
#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>

class NetworkThread;
class ProjectStore;
class PlatformCatalog;

/**
 * The assessment step without its widgets: which export files, the running job, the stored
 * inventory, its risks and the hand-entered assets. A failed or cancelled run changes nothing;
 * a finished one replaces the stored assessment in one transaction.
 */
class AssessmentController : public QObject
{
    Q_OBJECT

public:
    enum class State { Empty, Running, Ready };
    Q_ENUM(State)

    AssessmentController(ProjectStore *store, const PlatformCatalog *catalog, QObject *parent = nullptr);
    ~AssessmentController() override;

    State state() const { return m_state; }
    bool isRunning() const { return m_state == State::Running; }
    QStringList files() const { return m_files; }
    const std::optional<Inventory> &inventory() const { return m_inventory; }
    QDateTime assessedAt() const { return m_assessedAt; }
    const std::optional<Error> &lastError() const { return m_lastError; }
    QList<Risk> risks() const { return m_risksModel.risks(); }

    /// The intended target's catalog id ("brevo" ...), empty when not chosen. Saved in the project.
    QString targetId() const;
    void setTargetId(const QString &id);

    /// Assesses the current files plus these (the new set is recorded only if it succeeds).
    void addFiles(const QStringList &paths);
    void removeFile(const QString &path);
    /**
     * Assesses an account through its platform's API instead of files (ApiAssessor): the audience
     * `audienceId` (empty: Mailchimp's largest, Brevo's or Klaviyo's whole account). The key stays
     * in memory for reassess() and is never saved; the project records "api:<platform>:<audience>"
     * as its source.
     */
    void assessFromApi(const ConnectionSettings &settings, const QString &audienceId = {});
    /// True when the stored assessment was read through an API.
    bool isApiSource() const;
    /// Runs the assessment again: the same files, or the same API source (which needs
    /// assessFromApi() first in this session: the key is not kept on disk).
    void reassess();
    void cancel();

    FieldsModel *fieldsModel() { return &m_fieldsModel; }
    TagsModel *tagsModel() { return &m_tagsModel; }
    RisksModel *risksModel() { return &m_risksModel; }
    FindingsModel *duplicatesModel() { return &m_duplicatesModel; }
    FindingsModel *invalidModel() { return &m_invalidModel; }
    AssetsModel *assetsModel(AssetKind kind) { return m_assets.value(kind); }

Q_SIGNALS:
    void stateChanged(AssessmentController::State state);
    void progressChanged(int permille, const QString &text);
    void inventoryChanged();
    void risksChanged();
    /// A run failed (the stored assessment is unchanged) or a change could not be saved.
    void failed(const Error &error);
    void cancelled();

private:
    void start(const QStringList &paths);
    void startJob(const QStringList &sources, QFuture<AssessmentOutcome> job);
    void onFinished();
    void loadStored();
    void updateRisks();
    void setState(State state);

    ProjectStore *m_store;
    const PlatformCatalog *m_catalog;
    State m_state = State::Empty;
    QStringList m_files;
    QStringList m_runningFiles;
    std::optional<Inventory> m_inventory;
    QDateTime m_assessedAt;
    std::optional<Error> m_lastError;
    QFutureWatcher<AssessmentOutcome> m_watcher;
    // Assessment through an API: the network thread and the connector the job reads with.
    std::unique_ptr<NetworkThread> m_network;
    std::unique_ptr<SourceConnector> m_apiSource;
    std::optional<ConnectionSettings> m_apiSettings;
    QString m_apiAudience;

    FieldsModel m_fieldsModel;
    TagsModel m_tagsModel;
    RisksModel m_risksModel;
    FindingsModel m_duplicatesModel{Finding::Duplicate};
    FindingsModel m_invalidModel{Finding::InvalidEmail};
    QMap<AssetKind, AssetsModel *> m_assets;
};
