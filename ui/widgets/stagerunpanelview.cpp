#include "widgets/stagerunpanel.h"

#include "integrity/integrityreview.h"
#include "integrity/reviewreport.h"
#include "transfer/errorreportmodel.h"
#include "widgets/throughputchart.h"

#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>

#include <algorithm>

using namespace Qt::StringLiterals;

// What the panel shows: the state, the progress line, the buttons, a dry run's result.

QString StageRunPanel::when(const QDateTime &t)
{
    return t.isValid() ? QLocale().toString(t.toLocalTime(), QLocale::ShortFormat) : QString();
}

QString StageRunPanel::duration(qint64 seconds)
{
    if (seconds < 0)
        return tr("unknown");
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    return u"%1:%2:%3"_s.arg(seconds / 3600)
        .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

void StageRunPanel::showProgress(const TransferProgress &p)
{
    const QLocale l;
    if (p.total >= 0) {
        // QProgressBar is int-based: at most a million steps, whatever the stage's size.
        m_bar->setRange(0, p.total > 0 ? int(std::min<qint64>(p.total, 1000000)) : 1);
        m_bar->setValue(p.total > 0 ? int(std::min<qint64>(p.done, p.total) * m_bar->maximum() / p.total) : 1);
        m_bar->setFormat(tr("%1 of %2").arg(l.toString(p.done), l.toString(p.total)));
    }
    QStringList parts;
    if (!p.phase.isEmpty())
        parts << p.phase;
    parts << tr("%1 records/s").arg(l.toString(p.rate, 'f', 0));
    parts << tr("ETA %1").arg(duration(p.etaSeconds));
    parts << (p.failed == 1 ? tr("1 error so far") : tr("%1 errors so far").arg(l.toString(p.failed)));
    if (p.batch > 0)
        parts << tr("batch %1 (%2 per batch)").arg(p.batch).arg(p.batchSize);
    if (p.paused || m_transfer->isPaused())
        parts << tr("paused");
    m_progressText->setText(parts.join(u"  ·  "_s));
}

QString StageRunPanel::dryRunHtml(const StageOutcome &outcome, const QStringList &lines)
{
    QString html = u"<b>"_s + outcome.summary().toHtmlEscaped() + u"</b>"_s;
    const QLocale l;
    if (!outcome.byStatus.isEmpty()) {
        html += u"<p>"_s + tr("By status:") + u"<br>"_s;
        for (auto it = outcome.byStatus.cbegin(); it != outcome.byStatus.cend(); ++it)
            html += u"&nbsp;&nbsp;"_s + ContactStatuses::displayName(it.key()).toHtmlEscaped() + u": "_s
                + l.toString(it.value()) + u"<br>"_s;
    }
    if (!outcome.fieldsFilled.isEmpty()) {
        html += u"<p>"_s + tr("Fields filled:") + u"<br>"_s;
        for (auto it = outcome.fieldsFilled.cbegin(); it != outcome.fieldsFilled.cend(); ++it)
            html += u"&nbsp;&nbsp;"_s + it.key().toHtmlEscaped() + u": "_s + l.toString(it.value()) + u"<br>"_s;
    }
    if (!outcome.sampleFailures.isEmpty()) {
        html += u"<p>"_s + tr("Sample rejections:") + u"<br>"_s;
        for (const RecordFailure &f : outcome.sampleFailures)
            html += u"&nbsp;&nbsp;"_s + f.email.toHtmlEscaped() + u" — "_s + f.message.toHtmlEscaped() + u"<br>"_s;
    }
    if (!lines.isEmpty()) {
        html += u"<p>"_s + tr("What it would do:") + u"<br>"_s;
        for (const QString &line : lines)
            html += u"&nbsp;&nbsp;"_s + line.toHtmlEscaped() + u"<br>"_s;
    }
    return html;
}

void StageRunPanel::showState()
{
    const bool mine = isMine();
    QString stateKey;
    QString text;
    if (mine) {
        stateKey = m_transfer->isPaused() ? u"paused"_s : u"running"_s;
        text = m_transfer->isPaused() ? tr("Paused. Resume continues with the next batch.") : tr("Running…");
    } else if (const std::optional<TransferRun> &run = m_status.lastRun) {
        const StageOutcome o = StageOutcome::fromRun(*run);
        switch (run->state) {
        case RunState::Running:
        case RunState::Paused:
            stateKey = u"interrupted"_s;
            text = tr("Interrupted: the last run stopped before it ended. Resume continues it without writing anyone twice.");
            break;
        case RunState::Finished: stateKey = u"finished"_s; text = tr("Finished."); break;
        case RunState::Failed: stateKey = u"failed"_s; text = tr("Ended with errors."); break;
        case RunState::Cancelled: stateKey = u"cancelled"_s; text = tr("Cancelled. Run it again to continue where it stopped."); break;
        }
        text += u"\n"_s + tr("Last run: started %1%2.").arg(when(run->startedAt),
                                                          run->finishedAt.isValid() ? tr(", ended %1").arg(when(run->finishedAt)) : QString());
        text += u"\n"_s + o.summary();
    } else {
        stateKey = u"notRun"_s;
        text = tr("Not run yet.");
    }
    if (!mine && m_status.lastDryRun && (!m_status.lastRun || m_status.lastDryRun->startedAt > m_status.lastRun->startedAt))
        text += u"\n"_s + tr("Last dry run: %1").arg(StageOutcome::fromRun(*m_status.lastDryRun).summary());
    m_state->setText(text);
    m_state->setProperty("state", stateKey);

    if (m_status.blocked && !mine) {
        m_blocked->setText(tr("Cannot run yet: %1").arg(m_status.blocked->toString()));
        m_blocked->show();
    } else {
        m_blocked->clear();
        m_blocked->hide();
    }

    const std::optional<TransferRun> &run = m_status.lastRun;
    if (run && run->approvedAt.isValid())
        m_approval->setText(tr("Approved by %1 on %2%3").arg(run->approvedBy, when(run->approvedAt),
                                                             run->comment.isEmpty() ? QString() : u": "_s + run->comment));
    else if (run && (run->state == RunState::Finished || run->state == RunState::Failed)) {
        // A wave's review may have rejected this run: say so, with the reviewer's reason.
        const QList<ReviewRecord> reviews = m_review && IntegrityReview::reviewable(m_ref)
            ? m_review->reviews(m_ref.id())
            : QList<ReviewRecord>();
        if (!reviews.isEmpty() && reviews.constLast().runId == run->id
            && reviews.constLast().decision == ReviewDecision::Rejected)
            m_approval->setText(tr("%1. The next stage waits until it is approved.")
                                    .arg(ReviewReport::decisionLine(reviews.constLast())));
        else if (m_review && IntegrityReview::reviewable(m_ref))
            m_approval->setText(tr("Not approved yet. Review integrity compares the target with the backup; "
                                   "then approve: the next stage waits for it."));
        else
            m_approval->setText(tr("Not approved yet. Review the run, then approve it: the next stage waits for it."));
    }
    else
        m_approval->setText(tr("Nothing to approve yet."));
    updateButtons();
}

void StageRunPanel::updateButtons()
{
    const bool running = m_transfer->isRunning();
    const bool mine = isMine();
    const bool paused = mine && m_transfer->isPaused();
    const std::optional<TransferRun> &run = m_status.lastRun;
    const bool interrupted = run && (run->state == RunState::Running || run->state == RunState::Paused);
    const bool ended = run && (run->state == RunState::Finished || run->state == RunState::Failed);
    // A wave that finished, or whose errors were accepted, is done (the next one follows).
    const bool doneWave = run && m_ref.isWave() && (run->state == RunState::Finished || run->approvedAt.isValid());
    const bool mayStart = !running && !m_checking && !m_status.blocked;
    m_run->setEnabled(mayStart && !doneWave);
    m_run->setText(run && run->state == RunState::Cancelled ? tr("Run again") : tr("Run"));
    m_dryRun->setEnabled(!running);
    m_pause->setEnabled(mine && !paused);
    m_resume->setEnabled(paused || (mayStart && interrupted));
    m_cancel->setEnabled(mine);
    m_approve->setEnabled(!mine && ended && !run->approvedAt.isValid());
    m_comment->setEnabled(m_approve->isEnabled());
    m_export->setEnabled(m_errors->rowCount() > 0);
    m_retry->setEnabled(mayStart && run && run->state == RunState::Failed && m_errors->rowCount() > 0
                        && !run->approvedAt.isValid());
}

