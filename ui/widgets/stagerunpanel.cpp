#include "widgets/stagerunpanel.h"

#include "dialogs/prompts.h"
#include "dialogs/reviewwindow.h"
#include "integrity/integrityreview.h"
#include "transfer/errorreport.h"
#include "transfer/errorreportmodel.h"
#include "transfer/transferjournal.h"
#include "widgets/throughputchart.h"

#include <algorithm>

#include <QDir>
#include <QShowEvent>
#include <QFileInfo>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace {

QPushButton *button(const QString &text, const QString &name, QWidget *parent)
{
    auto *b = new QPushButton(text, parent);
    b->setObjectName(name);
    return b;
}

} // namespace

StageRunPanel::StageRunPanel(TransferController *transfer, QWidget *parent)
    : QWidget(parent), m_transfer(transfer)
{
    setObjectName(u"stageRunPanel"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);

    // The stage's state and the buttons.
    auto *stateBox = new QGroupBox(this);
    auto *stateLayout = new QGridLayout(stateBox);
    m_title = new QLabel(stateBox);
    m_title->setObjectName(u"stageTitleLabel"_s);
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_title->setFont(bold);
    stateLayout->addWidget(m_title, 0, 0);
    auto *buttons = new QHBoxLayout;
    m_run = button(tr("Run"), u"runButton"_s, stateBox);
    m_dryRun = button(tr("Dry run"), u"dryRunButton"_s, stateBox);
    m_pause = button(tr("Pause"), u"pauseButton"_s, stateBox);
    m_resume = button(tr("Resume"), u"resumeButton"_s, stateBox);
    m_cancel = button(tr("Cancel"), u"cancelButton"_s, stateBox);
    m_run->setToolTip(tr("Write this stage to the target."));
    m_dryRun->setToolTip(tr("Show what the stage would write, without writing anything."));
    m_cancel->setToolTip(tr("Stop after the current batch. Run again to continue where it stopped."));
    buttons->addStretch();
    for (QPushButton *b : {m_run, m_dryRun, m_pause, m_resume, m_cancel})
        buttons->addWidget(b);
    stateLayout->addLayout(buttons, 0, 1);
    m_state = new QLabel(stateBox);
    m_state->setObjectName(u"stageStateLabel"_s);
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    stateLayout->addWidget(m_state, 1, 0, 1, 2);
    m_blocked = new QLabel(stateBox);
    m_blocked->setObjectName(u"stageBlockedLabel"_s);
    m_blocked->setWordWrap(true);
    m_blocked->setStyleSheet(u"color: #9a5b00"_s);
    stateLayout->addWidget(m_blocked, 2, 0, 1, 2);

    // Approval.
    auto *approveRow = new QHBoxLayout;
    m_approval = new QLabel(stateBox);
    m_approval->setObjectName(u"approvalLabel"_s);
    m_approval->setWordWrap(true);
    approveRow->addWidget(m_approval, 1);
    m_comment = new QLineEdit(stateBox);
    m_comment->setObjectName(u"approveCommentEdit"_s);
    m_comment->setPlaceholderText(tr("Comment for the approval"));
    m_comment->setMinimumWidth(220);
    approveRow->addWidget(m_comment);
    m_approve = button(tr("Approve"), u"approveButton"_s, stateBox);
    m_approve->setToolTip(tr("Record that you reviewed this run (your name, now, and the comment)."));
    approveRow->addWidget(m_approve);
    m_reviewButton = button(tr("Review integrity…"), u"reviewButton"_s, stateBox);
    m_reviewButton->setToolTip(tr("Compare the target with the backup for this wave, then approve or reject it."));
    m_reviewButton->hide();
    approveRow->addWidget(m_reviewButton);
    stateLayout->addLayout(approveRow, 3, 0, 1, 2);
    m_approveError = new QLabel(stateBox);
    m_approveError->setObjectName(u"approveErrorLabel"_s);
    m_approveError->setWordWrap(true);
    m_approveError->setStyleSheet(u"color: #b00020"_s);
    m_approveError->hide();
    stateLayout->addWidget(m_approveError, 4, 0, 1, 2);
    stateLayout->setColumnStretch(0, 1);
    layout->addWidget(stateBox);

    // Progress.
    auto *progressBox = new QGroupBox(tr("Progress"), this);
    auto *progressLayout = new QVBoxLayout(progressBox);
    m_bar = new QProgressBar(progressBox);
    m_bar->setObjectName(u"stageProgressBar"_s);
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_bar->setFormat(tr("Not started"));
    progressLayout->addWidget(m_bar);
    m_progressText = new QLabel(progressBox);
    m_progressText->setObjectName(u"stageProgressLabel"_s);
    m_progressText->setWordWrap(true);
    progressLayout->addWidget(m_progressText);
    m_chart = new ThroughputChart(progressBox);
    progressLayout->addWidget(m_chart, 1);
    layout->addWidget(progressBox, 2);

    // Log, dry run, error report.
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(u"stageTabs"_s);
    m_log = new QPlainTextEdit(m_tabs);
    m_log->setObjectName(u"stageLog"_s);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(2000);
    m_tabs->addTab(m_log, tr("Log"));
    auto *dryScroll = new QScrollArea(m_tabs);
    dryScroll->setWidgetResizable(true);
    m_dryRunResult = new QLabel(dryScroll);
    m_dryRunResult->setObjectName(u"dryRunResultLabel"_s);
    m_dryRunResult->setWordWrap(true);
    m_dryRunResult->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_dryRunResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_dryRunResult->setMargin(6);
    dryScroll->setWidget(m_dryRunResult);
    m_tabs->addTab(dryScroll, tr("Dry run"));
    auto *errorsTab = new QWidget(m_tabs);
    auto *errorsLayout = new QVBoxLayout(errorsTab);
    m_errors = new ErrorReportModel(this);
    m_errorsView = new QTableView(errorsTab);
    m_errorsView->setObjectName(u"errorReportView"_s);
    m_errorsView->setModel(m_errors);
    m_errorsView->verticalHeader()->hide();
    m_errorsView->setWordWrap(false);
    m_errorsView->verticalHeader()->setDefaultSectionSize(m_errorsView->fontMetrics().height() + 6);
    m_errorsView->setColumnWidth(ErrorReportModel::Email, 230);
    m_errorsView->setColumnWidth(ErrorReportModel::Code, 120);
    m_errorsView->setColumnWidth(ErrorReportModel::Batch, 60);
    m_errorsView->setColumnWidth(ErrorReportModel::Time, 160);
    m_errorsView->horizontalHeader()->setSectionResizeMode(ErrorReportModel::Message, QHeaderView::Stretch);
    errorsLayout->addWidget(m_errorsView, 1);
    auto *errorsRow = new QHBoxLayout;
    errorsRow->addStretch();
    m_retry = button(tr("Retry failed rows"), u"retryFailedButton"_s, errorsTab);
    m_retry->setToolTip(tr("Run the stage again: the rows it could not write are sent again, nothing else."));
    errorsRow->addWidget(m_retry);
    m_export = button(tr("Export CSV…"), u"exportErrorsButton"_s, errorsTab);
    errorsRow->addWidget(m_export);
    errorsLayout->addLayout(errorsRow);
    m_tabs->addTab(errorsTab, tr("Error report"));
    layout->addWidget(m_tabs, 2);

    connect(m_run, &QPushButton::clicked, this, [this] { startRun(false); });
    connect(m_dryRun, &QPushButton::clicked, this, [this] { startRun(true); });
    connect(m_retry, &QPushButton::clicked, this, [this] { startRun(false); });
    connect(m_pause, &QPushButton::clicked, m_transfer, &TransferController::pause);
    connect(m_resume, &QPushButton::clicked, this, [this] {
        if (isMine())
            m_transfer->resume();
        else
            startRun(false); // an interrupted run: the engine continues it
    });
    connect(m_cancel, &QPushButton::clicked, m_transfer, &TransferController::cancel);
    connect(m_approve, &QPushButton::clicked, this, &StageRunPanel::approve);
    connect(m_export, &QPushButton::clicked, this, &StageRunPanel::exportErrors);
    connect(m_reviewButton, &QPushButton::clicked, this, &StageRunPanel::openReview);

    connect(m_transfer, &TransferController::started, this, [this](const StageRef &ref, bool dryRun) {
        if (!(ref == m_ref))
            return;
        m_chart->clear();
        m_inDryRun = dryRun;
        m_dryRunLines.clear();
        m_bar->setRange(0, 0); // busy until the total is known
        m_progressText->setText(dryRun ? tr("Dry run starting…") : tr("Starting…"));
        m_log->appendPlainText(u"— "_s + (dryRun ? tr("Dry run started %1") : tr("Run started %1"))
                                             .arg(when(QDateTime::currentDateTime())));
        m_tabs->setCurrentIndex(0);
    });
    connect(m_transfer, &TransferController::progressChanged, this, &StageRunPanel::onProgress);
    connect(m_transfer, &TransferController::logLine, this, [this](const QString &line) {
        if (!isMine())
            return;
        m_log->appendPlainText(line);
        if (m_inDryRun && m_dryRunLines.size() < 200)
            m_dryRunLines.append(line);
    });
    connect(m_transfer, &TransferController::pausedChanged, this, [this] {
        if (isMine()) {
            showState();
            showProgress(m_transfer->lastProgress());
        }
    });
    connect(m_transfer, &TransferController::finished, this, &StageRunPanel::onFinished);
    connect(m_transfer, &TransferController::failed, this, [this](const Error &e) {
        if (!isVisible() && !isMine())
            return;
        m_log->appendPlainText(tr("Could not run: %1").arg(e.toString()));
        m_blocked->setText(e.toString());
        m_blocked->show();
    });
    // Reading a stage's status verifies its backup (the whole file): only the panel in view does it.
    // The stage's own runs and approvals do not change whether it may start (that is the stage
    // before it and the backup), so the panel in view re-reads only the runs; a hidden panel
    // re-reads everything when it is shown.
    connect(m_transfer, &TransferController::journalChanged, this, [this] {
        if (isVisible())
            refresh(false);
    });
}

bool StageRunPanel::isMine() const
{
    const std::optional<StageRef> running = m_transfer->runningStage();
    return running && *running == m_ref;
}

void StageRunPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    // Back on the page: re-attach to the running stage's progress and re-read the journal.
    if (isMine())
        showProgress(m_transfer->lastProgress());
    refresh();
}

void StageRunPanel::setStage(const StageRef &ref)
{
    if (ref == m_ref && !m_title->text().isEmpty())
        return refresh();
    m_ref = ref;
    m_title->setText(ref.title());
    m_reviewButton->setVisible(m_review && IntegrityReview::reviewable(ref));
    if (m_reviewWindow && m_reviewWindow->isVisible())
        m_reviewWindow->setStage(ref);
    m_chart->clear();
    m_log->clear();
    m_dryRunResult->clear();
    m_comment->clear();
    m_approveError->hide();
    m_bar->setRange(0, 1);
    m_bar->setValue(0);
    m_bar->setFormat(tr("Not started"));
    m_progressText->clear();
    if (isMine())
        showProgress(m_transfer->lastProgress());
    refresh();
}

void StageRunPanel::startRun(bool dryRun)
{
    m_blocked->clear();
    m_approveError->hide();
    if (!m_transfer->start(m_ref, dryRun))
        m_blocked->setText(tr("Another stage is running: wait for it to end."));
}

void StageRunPanel::onProgress(const TransferProgress &p)
{
    if (!isMine())
        return;
    if (!m_chart->pointCount() || p.rate > 0)
        m_chart->addSample(p.elapsedMs / 1000.0, p.rate);
    if (isVisible())
        showProgress(p);
}

void StageRunPanel::onFinished(const StageOutcome &outcome)
{
    if (!(outcome.ref == m_ref))
        return;
    if (outcome.dryRun) {
        m_dryRunResult->setText(dryRunHtml(outcome, m_dryRunLines));
        m_inDryRun = false;
        m_tabs->setCurrentIndex(1);
    }
    const QLocale l; // the summary came through the log
    if (outcome.total > 0) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(int(std::min<qint64>(outcome.total - outcome.pending, outcome.total) * 1000 / outcome.total));
        m_bar->setFormat(tr("%1 of %2").arg(l.toString(outcome.total - outcome.pending), l.toString(outcome.total)));
    } else {
        m_bar->setRange(0, 1);
        m_bar->setValue(1);
        m_bar->setFormat(QString());
    }
    const qint64 ms = outcome.elapsedMs > 0 ? outcome.elapsedMs : m_transfer->lastProgress().elapsedMs;
    const QString took = ms < 60000 ? tr("%1 s").arg(l.toString(ms / 1000.0, 'f', 1)) : duration(ms / 1000);
    m_progressText->setText(outcome.ref.isWave() && !outcome.dryRun
                                ? tr("Ended after %1: %2 written, %3 rejected.")
                                      .arg(took, l.toString(outcome.written), l.toString(outcome.failed))
                                : tr("Ended after %1.").arg(took));
    // journalChanged() follows and re-reads the state.
    if (!outcome.dryRun && outcome.failed > 0)
        m_tabs->setCurrentIndex(2);
}

void StageRunPanel::refresh(bool full)
{
    if (m_ref.stage.isEmpty())
        return;
    // status() verifies the backup (it reads the whole file, a second for 100,000 contacts): not
    // while the stage itself runs, and not when only this stage's runs changed.
    if (isMine()) {
        showState();
        return;
    }
    // The runs from the journal here (cheap); whether the stage may start in the background,
    // since that verifies the whole backup. Until it is known, Run waits.
    const bool sameStage = m_status.ref == m_ref && !m_status.ref.stage.isEmpty();
    // A full read forgets what was known: the answer on its way says it again.
    const std::optional<Error> blocked = sameStage && !full ? m_status.blocked : std::nullopt;
    m_status = StageStatus{m_ref, std::nullopt, std::nullopt, blocked};
    if (const Result<QList<TransferRun>> runs = m_transfer->journal().runs(m_ref.stage)) {
        for (const TransferRun &r : *runs) { // oldest first: the last match is the newest
            if (r.wave == m_ref.wave)
                (r.dryRun ? m_status.lastDryRun : m_status.lastRun) = r;
        }
    }
    if (full || !sameStage) {
        m_checking = true;
        const int request = ++m_checkRequest;
        m_transfer->statusLater(m_ref, this, [this, request](const StageStatus &status) {
            if (request != m_checkRequest)
                return; // asked again since (another stage, the journal changed): that answer follows
            m_checking = false;
            m_status.blocked = status.blocked;
            showState();
        });
    }

    // The error report of the last real run.
    const std::optional<TransferRun> &run = m_status.lastRun;
    const QSqlDatabase db = m_transfer->journal().database();
    if (run && m_errors->runId() != run->id)
        m_errors->setRun(db, run->id);
    else if (run)
        m_errors->reload();
    else if (m_errors->runId() != 0)
        m_errors->setRun(db, 0);
    // A dry run of an earlier session: its counts and first rejections from the journal.
    if (m_dryRunResult->text().isEmpty() && m_status.lastDryRun) {
        StageOutcome dry = StageOutcome::fromRun(*m_status.lastDryRun);
        if (Result<QList<RecordFailure>> sample = m_transfer->journal().failures(dry.runId, 0, 10))
            dry.sampleFailures = *sample;
        m_dryRunResult->setText(dryRunHtml(dry, {}));
    }
    showState();
    Q_EMIT stageChanged();
}

void StageRunPanel::approve()
{
    // A wave is approved through its integrity review (the target compared with the backup), so
    // that its rules hold here too: no consent violation, a comment for any difference.
    const Status s = m_review && IntegrityReview::reviewable(m_ref)
        ? m_review->approve(m_ref, TransferController::currentUser(), m_comment->text().trimmed())
        : m_transfer->approve(m_ref, TransferController::currentUser(), m_comment->text().trimmed());
    if (!s) {
        m_approveError->setText(tr("Not approved: %1").arg(s.error().toString()));
        m_approveError->show();
        return;
    }
    m_approveError->hide();
    m_comment->clear();
}

void StageRunPanel::setReview(IntegrityReview *review)
{
    m_review = review;
    m_reviewButton->setVisible(m_review && IntegrityReview::reviewable(m_ref));
    if (m_review)
        connect(m_review, &IntegrityReview::reviewsChanged, this, [this] { refresh(false); });
}

void StageRunPanel::openReview()
{
    if (!m_review)
        return;
    if (!m_reviewWindow)
        m_reviewWindow = new ReviewWindow(m_review, m_transfer, this);
    m_reviewWindow->setStage(m_ref);
    m_reviewWindow->show();
    m_reviewWindow->raise();
    m_reviewWindow->activateWindow();
}

void StageRunPanel::exportErrors()
{
    if (!m_status.lastRun)
        return;
    const QString title = tr("Export Error Report");
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString name = tr("%1 - error report").arg(m_ref.title()).replace(u':', u'-') + u".csv"_s;
    const QString path = Prompts::instance().saveFilePath(this, title, QDir(folder).filePath(name),
                                                          tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    const Result<qint64> rows = ErrorReport::writeCsv(m_transfer->journal().database(), m_status.lastRun->id, path);
    if (!rows) {
        Prompts::instance().showError(this, title, rows.error());
        return;
    }
    m_log->appendPlainText(tr("Error report saved: %1 (%2 rows)").arg(QDir::toNativeSeparators(path)).arg(*rows));
}
