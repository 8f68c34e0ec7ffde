// The JSON shapes of the Gateway (camelCase, enums as kebab-case strings).

export type Mode = "qa" | "deliberation";
export type ItemStatus = "pending" | "published" | "rejected" | "answered" | "merged" | "archived";
export type AnswerStatus = "accepted" | "under-review" | "declined";

export interface ConsultationInfo {
  id: string;
  title: string;
  description: string;
  mode: Mode;
  moderation: "pre" | "post";
  status: "draft" | "open" | "closed" | "archived";
  createdAt: string;
  lastSeq: number;
  itemCount: number;
  visibility?: "public" | "unlisted" | "private";
  publishRejected?: boolean;
  closedAt?: string;
  admission?: "open" | "code" | "invite";
  joinCodeMinutes?: number;
  /** Days after closing until the texts are anonymised; absent when they are kept. */
  retentionDays?: number;
  /** When the texts were anonymised under the retention rule. */
  anonymisedAt?: string;
}

export interface ConsultationSummary {
  id: string;
  title: string;
  mode: Mode;
  status: "draft" | "open" | "closed";
  createdAt: string;
  visibility?: "public" | "unlisted" | "private";
}

export interface VoteTally {
  up: number;
  agree: number;
  disagree: number;
  pass: number;
}

export interface OfficialAnswer {
  text: string;
  status: AnswerStatus | null;
  owner: string | null;
  due: string | null;
  by: string;
  /** The answering staff account's id; null in answers from before accounts. */
  byAccount?: string | null;
  at: string;
}

export interface ReviewInfo {
  needsReview: boolean;
  triageScore: number;
  triageReason: string;
  duplicateOf: string | null;
  /** The holder's display name. */
  claimedBy: string | null;
  /** The holder as the server knows them (account id); absent in claims from before accounts. */
  claimedByAccount?: string | null;
  claimedUntil: string | null;
  appealText: string | null;
  /** Part of a campaign-like burst: a label for moderators, not a verdict. */
  campaign?: CampaignLabel;
  /** New identities voted this item the same way in a burst. */
  burst?: VoteBurst;
}

/** A burst of votes the same way from identities new to the consultation. */
export interface VoteBurst {
  at: string;
  value: number;
  newIdentities: number;
  windowVotes: number;
  seq: number;
}

/** A burst of near-identical texts from different citizens within minutes. */
export interface CampaignLabel {
  id: string;
  citizens: number;
  items: number;
  firstAt: string;
  lastAt: string;
}

export interface CampaignView {
  label: CampaignLabel;
  pendingItemIds: string[];
}

export interface CampaignDecisionRequest {
  action: "approve" | "reject";
  reason?: string;
  note?: string;
}

export interface CampaignDecisionResult {
  campaign: CampaignLabel;
  items: ItemOutcome[];
  remaining: number;
}

/**
 * A vote count moved; the text and everything else are unchanged. Sent as a bare array, the
 * most frequent thing on the wire in a busy hall: [id, seq, up, agree, disagree, pass].
 */
export type VoteUpdate = [id: string, seq: number, up: number, agree: number, disagree: number, pass: number];

export interface ItemView {
  id: string;
  seq: number;
  author: string;
  text: string;
  status: ItemStatus;
  votes: VoteTally;
  createdAt: string;
  visible: boolean;
  rejectionReason?: string | null;
  rejectionNote?: string | null;
  tags: string[];
  pinned?: boolean;
  highlighted?: boolean;
  edited?: boolean;
  originalText?: string | null;
  mergedInto?: string | null;
  answer?: OfficialAnswer | null;
  appealed?: boolean;
  review?: ReviewInfo | null;
  /** The author had it erased: text is the Indonesian marker; pages show the marker in their language. */
  erased?: boolean;
}

export interface JoinResponse {
  consultation: ConsultationInfo;
  items: ItemView[];
  lastSeq: number;
  hasMore: boolean;
}

export interface ItemPage {
  items: ItemView[];
  lastSeq: number;
  hasMore: boolean;
}

export interface SubmitItemResponse {
  id: string;
  seq: number;
  status: ItemStatus;
}

export interface Notification {
  id: string;
  consultationId: string;
  itemId: string;
  kind: string;
  detail: string | null;
  at: string;
  read: boolean;
}

export interface PresenterFrame {
  consultationId: string;
  highlighted: ItemView | null;
  next: ItemView[];
  seq: number;
}

export interface ItemOutcome {
  itemId: string;
  ok: boolean;
  error: string | null;
  seq: number;
}

export interface ModerationResult {
  items: ItemOutcome[];
}

export interface ModerationRequest {
  action: string;
  itemIds: string[];
  reason?: string;
  note?: string;
  text?: string;
  targetId?: string;
  tags?: string[];
  leaseSeconds?: number;
}

export const rejectionReasons = ["spam", "abuse", "duplicate", "off_topic", "multiple_ideas", "personal_data", "other"] as const;

/** How a group differs from the rest on one statement (Pol.is "repness"). */
export interface RepresentativeView {
  itemId: string;
  leaning: "agree" | "disagree";
  probability: number;
  ratio: number;
  significant: boolean;
}

export interface OpinionGroupView {
  id: number;
  x: number;
  y: number;
  members: number;
  representative: RepresentativeView[];
}

export interface StatementConsensusView {
  itemId: string;
  consensus: number;
  agree: number;
  disagree: number;
  pass: number;
}

export interface OpinionPoint {
  x: number;
  y: number;
  groupId: number | null;
}

export interface OpinionPosition {
  x: number;
  y: number;
  inAnalysis: boolean;
  groupId: number | null;
  closestGroupId: number | null;
  votes: number;
}

/** The opinion groups of a deliberation; "you" only in answers to a participant. */
export interface OpinionView {
  consultationId: string;
  version: number;
  participants: number;
  participantsInAnalysis: number;
  groups: OpinionGroupView[];
  consensus: StatementConsensusView[];
  commonGroundAgreed: string[];
  commonGroundRejected: string[];
  map: OpinionPoint[];
  you: OpinionPosition | null;
  computedAt: string;
}

/** The tagger's guess for an untagged item; "unsure" below its confidence threshold. */
export interface TopicSuggestion {
  topic: string;
  confidence: number;
  unsure: boolean;
  /** "model": the consultation's own tagger; "default": the team's default starting taxonomy. */
  source: "model" | "default";
}

/** A sentence quoted verbatim from post sourceItemId; it stands for the posts in itemIds, which carry votes votes. */
export interface BriefSentence {
  text: string;
  sourceItemId: string;
  itemIds: string[];
  votes: number;
}

export interface TopicItemView {
  itemId: string;
  text: string;
  votes: number;
  tags: string[];
  suggested: TopicSuggestion | null;
}

/** A concern group: its id stays the same across recomputations; terms are its label. */
export interface TopicGroupView {
  id: number;
  terms: string[];
  size: number;
  votes: number;
  voteShare: number;
  items: TopicItemView[];
  /** Items of the group posted in the trend window (TopicsView.recentMinutes). */
  recent: number;
  brief: BriefSentence[];
}

export interface TagCountView {
  tag: string;
  tagged: number;
  suggested: number;
  unsure: number;
}

/** GET /api/consultations/{id}/topics (staff). */
export interface TopicsView {
  consultationId: string;
  status: "computing" | "too-few-items" | "grouped";
  items: number;
  votes: number;
  minItems: number;
  groups: TopicGroupView[];
  tags: TagCountView[];
  untagged: number;
  taggerReady: boolean;
  computedAt: string | null;
  /** Items the last regrouping grouped; the others were placed into the nearest group. */
  grouped: number;
  recentMinutes: number;
  /** Items posted in the last recentMinutes minutes. */
  recent: number;
  /** When the view was built (trend counts are as of then). */
  at: string | null;
}

/** A topic group in the consultation brief, with its verbatim sentences. */
export interface BriefConcern {
  groupId: number;
  terms: string[];
  posts: number;
  votes: number;
  recent: number;
  sentences: BriefSentence[];
}

export interface BriefPost {
  itemId: string;
  text: string;
  votes: number;
  createdAt: string;
  due: string | null;
}

/** GET /api/consultations/{id}/brief, and "brief" in the JSON export. */
export interface ConsultationBrief {
  consultationId: string;
  at: string;
  recentMinutes: number;
  posts: number;
  votes: number;
  recent: number;
  largest: BriefConcern[];
  mostVoted: BriefConcern[];
  growing: BriefConcern[];
  topPosts: BriefPost[];
  unanswered: BriefPost[];
  overdue: BriefPost[];
}

/** One item of the JSON export (GET /api/consultations/{id}/export?format=json). */
export interface ExportItem {
  /** "i" and the item's number; the live item id is the number alone. */
  id: string;
  participant: number;
  pseudonym: string;
  /** Null when withheld (rejected or never reviewed, and the consultation does not publish those). */
  text: string | null;
  status: ItemStatus;
  reviewed: boolean;
  votes: VoteTally;
  createdAt: string;
  tags: string[];
  mergedInto: string | null;
  answer: OfficialAnswer | null;
  erased: boolean;
  rejectionReason: string | null;
}

export interface ExportVote {
  at: string;
  item: string;
  participant: number;
  value: number;
}

export interface ExportLogSummary {
  entries: number;
  /** By action ("reject") and by action and reason ("reject:spam"). */
  counts: Record<string, number>;
  lastHash: string;
  log: string;
  verify: string;
}

export interface ExportDocument {
  format: string;
  licence: string;
  exportedAt: string;
  consultation: ConsultationInfo;
  items: ExportItem[];
  votes: ExportVote[];
  opinionGroups: OpinionView | null;
  topicGroups: TopicsView | null;
  brief: ConsultationBrief | null;
  moderationLog: ExportLogSummary;
}

export interface LogVerification {
  valid: boolean;
  entries: number;
  brokenAtSeq: number | null;
  problem: string | null;
  /** The log's last seq when it was read. */
  upToSeq: number;
  verifiedAt: string;
}

export interface ErasureResult {
  consultationId: string;
  items: number;
  votes: number;
  seq: number;
}

export interface EraseResponse {
  consultations: ErasureResult[];
  items: number;
  votes: number;
}

/** One optional self-described segment question of a consultation (GET /api/consultations/{id}/segments). */
export interface SegmentQuestion {
  key: string;
  label: string;
  options: string[];
  referenceShares?: Record<string, number> | null;
}

export interface SegmentQuestions {
  consultationId: string;
  questions: SegmentQuestion[];
  updatedAt: string | null;
}

/** GET/PUT /api/consultations/{id}/segments/me. */
export interface MySegments {
  questions: SegmentQuestion[];
  answers: Record<string, string>;
}

/** A count of distinct people; null when withheld (fewer than five). */
export interface SegmentCell {
  option: string;
  count: number | null;
  share: number | null;
}

export interface SegmentGap {
  option: string;
  baseShare: number;
  contributorShare: number | null;
  fromReference: boolean;
}

export interface SegmentGroupRow {
  groupId: number;
  terms: string[];
  cells: SegmentCell[];
}

export interface QuestionBreakdown {
  key: string;
  label: string;
  participants: SegmentCell[];
  contributors: SegmentCell[];
  topicGroups: SegmentGroupRow[];
  opinionGroups: SegmentGroupRow[];
  missing: SegmentGap[];
}

/** GET /api/consultations/{id}/segments/breakdown. */
export interface SegmentsBreakdown {
  consultationId: string;
  minCell: number;
  answered: number | null;
  contributors: number | null;
  questions: QuestionBreakdown[];
  at: string;
  final: boolean;
}
