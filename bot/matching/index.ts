/**
 * Policy matching: an enterprise's profile against the measures' conditions, and the chat around it.
 */

// Commonly used
export { corpusCities } from '../../corpus/measures.ts';
export { createPolicyMatcher, industryKinds } from './policy-matching.ts';
export type { MatchResult, MeasureMatch, PolicyMatcher } from './policy-matching.ts';
export { profileFromInput, readProfile } from './enterprise-profile.ts';
export type { EnterpriseProfile, ProfileInput } from './enterprise-profile.ts';

// Advanced
export { composeMatchAnswer, composePushText, createMatchChat, followUpQuestion, profileSummary } from './policy-match-chat.ts';
export type { MatchChat } from './policy-match-chat.ts';
