"""What the study reads from outside: each repository pinned at a commit, and each file with its SHA-256.

``REPOS`` holds a repository's commit, license and citation; ``REGISTRY`` maps a file's name
(``swe_effi/openhands/qwen3-32B``, ``mcpmark/task_results/<task>``, ...) to its ``DataFile``: repository,
path and pinned hash, from which its URL and its place below ``data/external/`` follow. ``entry`` and
``names`` look files up; ``helpers.registry.fetching`` gets them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import paths


@dataclass(frozen=True)
class Repo:
    owner_repo: str
    commit: str
    license: str
    citation: str


REPOS = {
    "Centre-for-Software-Excellence/SWE-Effi": Repo(
        "Centre-for-Software-Excellence/SWE-Effi", "eb40e399cc356369f412e7aa0138f45e63b80ba5", "Apache-2.0",
        "Fan et al. 2025, 'SWE-Effi: Re-Evaluating Software AI Agent System Effectiveness Under Resource "
        "Constraints', github.com/Centre-for-Software-Excellence/SWE-Effi"),
    "laude-institute/terminal-bench-experiments": Repo(
        "laude-institute/terminal-bench-experiments", "df50653c4721a5298c6ff54727e461446d660535", "Apache-2.0",
        "Terminal-Bench team (Laude Institute), terminal-bench-experiments: Terminus-2 trials, "
        "github.com/laude-institute/terminal-bench-experiments"),
    "RylanSchaeffer/KoyejoLab-Large-How-Do-Language-Monkey-Power-Get-Their-Power": Repo(
        "RylanSchaeffer/KoyejoLab-Large-How-Do-Language-Monkey-Power-Get-Their-Power",
        "cd078aef2a13e4310fab204860b99c4c39c25d40", "none stated",
        "Schaeffer et al. 2025, 'How Do Large Language Monkeys Get Their Power (Laws)?'; data from Brown et al. "
        "2024, 'Large Language Monkeys: Scaling Inference Compute with Repeated Sampling'"),
    "agencyenterprise/coding-agent-cost-bench": Repo(
        "agencyenterprise/coding-agent-cost-bench", "065578016d9d57f2ba006cac5056d9ebac69977a", "none stated",
        "AE Studio, coding-agent-cost-bench, github.com/agencyenterprise/coding-agent-cost-bench"),
    "benediktstroebl/agent-eval": Repo(
        "benediktstroebl/agent-eval", "406f00ff847a5237a221dba6f9014600d6588733", "none stated",
        "Kapoor, Stroebl et al. 2024, 'AI Agents That Matter', github.com/benediktstroebl/agent-eval"),
    "uw-syfi/TraceLab": Repo(
        "uw-syfi/TraceLab", "0b8a262ba69602869133b65972d51a388bde45e1", "Apache-2.0 (code), CC BY 4.0 (data)",
        "UW SyFI lab, TraceLab: traces of real coding-agent sessions, github.com/uw-syfi/TraceLab"),
    "eval-sys/mcpmark-experiments": Repo(
        "eval-sys/mcpmark-experiments", "8f674f0826ad2340ebd12742f474375c55305642",
        "none stated (no license file; downloaded for analysis, never redistributed)",
        "Wu et al. 2025, 'MCPMark: A Benchmark for Stress-Testing Realistic and Comprehensive MCP Use'; "
        "results from github.com/eval-sys/mcpmark-experiments"),
    "madshn/localpush": Repo(
        "madshn/localpush", "219b5397b658a1d424166b5bde2c4ba2e12385ab", "MIT (license field of src-tauri/Cargo.toml)",
        "LocalPush contributors, localpush: sanitized Codex CLI session fixtures "
        "(src-tauri/tests/fixtures/codex/2026-02-23), github.com/madshn/localpush"),
    "Agent-Evaluation/BrowseComp-Plus": Repo(
        "Agent-Evaluation/BrowseComp-Plus", "48a8558ad8b8886134804c2a270e6dbdbd2256fe",
        "none stated (no license for this file; downloaded for analysis, never redistributed)",
        "Chen et al. 2025, 'BrowseComp-Plus: A More Fair and Transparent Evaluation Benchmark of Deep-Research "
        "Agent'; run runs/bm25/single_gpt_4.1 from github.com/Agent-Evaluation/BrowseComp-Plus"),
}


@dataclass(frozen=True)
class DataFile:
    name: str
    repo: Repo
    path: str
    sha256: str

    @property
    def url(self) -> str:
        return f"https://raw.githubusercontent.com/{self.repo.owner_repo}/{self.repo.commit}/{self.path}"

    @property
    def relpath(self) -> str:
        return f"{self.repo.owner_repo}/{self.repo.commit}/{self.path}"

    @property
    def local(self) -> Path:
        return paths.data_external() / self.relpath

    @property
    def license(self) -> str:
        return self.repo.license

    @property
    def citation(self) -> str:
        return self.repo.citation


_ENTRIES = [
    ("agent_eval/humaneval_results", "benediktstroebl/agent-eval", "LLMDebugger/output_data/humaneval_results.csv", "d9af5470810f926b27080d18a299db085aac84139dbc14beb590d33a3f1bf707"),
    ("cost_bench/deepswe33-glm-opus48/deepswe_task_difficulty", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-glm-opus48/deepswe_task_difficulty.csv", "3597c4c46c3185d0592241ec044810579c4048440930befbad18e0591f6dbbff"),
    ("cost_bench/deepswe33-glm-opus48/per_run", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-glm-opus48/per_run.csv", "6c7b3ee487f2ecfdb77c33f11a5b8d3d414505d544cfbeeeff7cfa03a31831f8"),
    ("cost_bench/deepswe33-glm-opus48/summary", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-glm-opus48/summary.csv", "29d23658596a8fc1371630e01a7e0e6376cb780ea3b85b2e7f70383e5c401c6d"),
    ("cost_bench/deepswe33-kimi-k3/deepswe_task_difficulty", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-kimi-k3/deepswe_task_difficulty.csv", "f014a8c5e5062ee84a99d6fcaa520b1c15340517f2a092a5bef4d4165c0f26c8"),
    ("cost_bench/deepswe33-kimi-k3/per_run", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-kimi-k3/per_run.csv", "4bd281031ac26c4bd51007e78a3d18ed7c181d247224af37480bc995769afe8a"),
    ("cost_bench/deepswe33-kimi-k3/summary", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-kimi-k3/summary.csv", "96786abcf8b4502b3cd48e10a078a0fdb22805c27ee28d26f2bb6f4549939432"),
    ("cost_bench/deepswe33-opus5/deepswe_task_difficulty", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-opus5/deepswe_task_difficulty.csv", "b1f90aa7d2281af7fca9145afd359b68c11b5e56ad6b174559caaa3a5925d0f1"),
    ("cost_bench/deepswe33-opus5/per_run", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-opus5/per_run.csv", "968662ad8f29f6391ff98c263b79c6185fa47e08885a1eae74f0d948d805dcab"),
    ("cost_bench/deepswe33-opus5/summary", "agencyenterprise/coding-agent-cost-bench", "results/deepswe33-opus5/summary.csv", "719b209ac20d6e11072f7c68e63a0c89ac54d08eb49f9e8e3bcbb18e2ddeec8f"),
    ("monkeys/math_raw", "RylanSchaeffer/KoyejoLab-Large-How-Do-Language-Monkey-Power-Get-Their-Power", "data/raw_data/large_language_monkeys/math_pass_at_k.parquet", "2527fbab2e2467c9dc145a09235cc5b25c290b0cd35b63f1535bedb22696ee80"),
    ("monkeys/pass_at_k_processed", "RylanSchaeffer/KoyejoLab-Large-How-Do-Language-Monkey-Power-Get-Their-Power", "data/processed_data/large_language_monkeys_original_pass_at_k.parquet", "2ca92cfcb9b074981b39ae3b6448bd7ae6b24e9db695e448b16eb7398dd41d15"),
    ("swe_effi/agentless-mini/GPT-4o-mini-2024-07-18", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless-mini/GPT-4o-mini-2024-07-18/combined_stats.json", "42e0cf061d82e72e4aee8d3c5802494b430c6c58c59b233e72414bea6b2cf23c"),
    ("swe_effi/agentless-mini/llama-3.3-70B-Instruct-FP8", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless-mini/llama-3.3-70B-Instruct-FP8/combined_stats.json", "c95c402bcf17864c82ffe5acb963d50c82670ce2a9d28c349e8482a68d6ff0be"),
    ("swe_effi/agentless-mini/qwen3-32B", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless-mini/qwen3-32B/combined_stats.json", "11df20aec4d8e1fe5ce8ad58ea1711f8465be21f50c9d93e5f6378dd4d09dbd8"),
    ("swe_effi/agentless/GPT-4o-mini-2024-07-18", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless/GPT-4o-mini-2024-07-18/combined_stats.json", "0cba38e57fcb6dc672542e373c773d8b1a09d5e043409a1164985b997649d358"),
    ("swe_effi/agentless/llama-3.3-70B-Instruct-FP8", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless/llama-3.3-70B-Instruct-FP8/combined_stats.json", "4855e787d90c62dc4448039656e1932dfe83d02f1028cf7e1cf4a8dc4df2f942"),
    ("swe_effi/agentless/qwen3-32B", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/agentless/qwen3-32B/combined_stats.json", "a8467b28566a68956dfd2a76a26de51176a2a6cc4d8575e69e382a3f2beaa110"),
    ("swe_effi/auto-code-rover/GPT-4o-mini-2024-07-18", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/auto-code-rover/GPT-4o-mini-2024-07-18/combined_stats.json", "1438422921cd2151711d0033c4d8fda1f2c29388d761ce7d6b1471882147256a"),
    ("swe_effi/auto-code-rover/llama-3.3-70B-Instruct-FP8", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/auto-code-rover/llama-3.3-70B-Instruct-FP8/combined_stats.json", "78bb20d6aab159cef424e4a41e5bf2c2a2a22b537918f65bbc1c63ed5d4cffa2"),
    ("swe_effi/auto-code-rover/qwen3-32B", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/auto-code-rover/qwen3-32B/combined_stats.json", "08b005750e47cac88974a5388ab5143d2a6a8eb421dded57c6acc988178a2ace"),
    ("swe_effi/openhands/GPT-4o-mini-2024-07-18", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/openhands/GPT-4o-mini-2024-07-18/combined_stats.json", "8f37fa9e5989fa4fb25503476fe36ed0e32a79428dd050a256b5970be3ed9084"),
    ("swe_effi/openhands/llama-3.3-70B-Instruct-FP8", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/openhands/llama-3.3-70B-Instruct-FP8/combined_stats.json", "87ae9c91df55a7cbfa60e39926cec0122feee0e6ace3d0118fbd37a323c65d0d"),
    ("swe_effi/openhands/qwen3-32B", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/openhands/qwen3-32B/combined_stats.json", "91f2f8e8504ff0764603854294930bc690675cd1bcc9a55dd5f39d66bca7fd04"),
    ("swe_effi/swe-agent/GPT-4o-mini-2024-07-18", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/swe-agent/GPT-4o-mini-2024-07-18/combined_stats.json", "011e39d89c1458b4db00877a42f103795cf69ec94e7d26cf6727d3151064f356"),
    ("swe_effi/swe-agent/llama-3.3-70B-Instruct-FP8", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/swe-agent/llama-3.3-70B-Instruct-FP8/combined_stats.json", "7494e1f591ae83982614b97db8d42b928c46e07c3c3942e5e5097454fdfcf5cf"),
    ("swe_effi/swe-agent/qwen3-32B", "Centre-for-Software-Excellence/SWE-Effi", "benchmark/results/agent-scaffold-stats/swe-agent/qwen3-32B/combined_stats.json", "38e14dee3eac6904c3ed08f3a7f3e3c7a181500a2a59e2304024dc3b31d802bf"),
    ("terminal_bench/model_total_statistics", "laude-institute/terminal-bench-experiments", "notebooks/total_avg_episodes_pipeline/results/model_total_statistics.csv", "ca6b26febfa3f9b1c546ead35991cc755d214150ec68a798ec778c1e4018792d"),
    ("terminal_bench/trial_token_usage", "laude-institute/terminal-bench-experiments", "notebooks/output_token_analysis_pipeline/results/trial_token_usage.csv", "47b242007ba173d8ab9631ef78fd70bcc882d077b01a885af6ef300f4358a680"),
    ("tracelab/claude_trace", "uw-syfi/TraceLab", "example_sessions/claude/trace.json", "da768a5c5e3f6705d4e99cfbf8026cb78644795940f4e0b926da04e904530375"),
    ("tracelab/pricing", "uw-syfi/TraceLab", "artifacts/utils/pricing.json", "ce690a23d0ab05862e325beae2c6935ea99632cc2cb97d3370fcc80b0215e929"),
    ("tracelab/round_trace_derived", "uw-syfi/TraceLab", "example_sessions/derived/round_trace.jsonl", "0a16b1e8e31f42038d321e77ff1833b1f710101156d81e1c122308560ad7ca19"),
    ("tracelab/round_trace_sanitized", "uw-syfi/TraceLab", "example_sessions/sanitized/round_trace.jsonl", "314c49483148fe68e230a683f739e3e6e68d478948ecf342739596f30af36b57"),]

# MCPMark: one file per task (``mcpmark/task_results/<task>``, 127), plus the summary, task metadata and README
_MCPMARK_TASKS = {
    "build_your_own_x__find_commit_date": "325d70402c6ff6bb94b152cbb7ff5e16cf18fc872dd10bd6c0042df633f55bbb",
    "build_your_own_x__find_rag_commit": "0bd29dbf712e782c0c1734dea3e6cc27e826b7b3b6e50d5014c964584b095405",
    "chinook__customer_data_migration": "11095b3ee09fa6e6ba4b5d073a7aa15e7b1b5f9dcffab3366ef7ad24a7c440a4",
    "chinook__employee_hierarchy_management": "ff62cb54be7acf495d8c7246dc33fc3ee9d34b52bf0b8bd88658513d24380337",
    "chinook__sales_and_music_charts": "9202c04f412fe97ad1071b06ef72b88fa3a2279b922b9894d79a3b97bfdc4a52",
    "claude-code__automated_changelog_generation": "3d70ba6a3ab3216602cf2145e8e17f430fb72a23cabfb0605290b69a6af3dc5b",
    "claude-code__claude_collaboration_analysis": "3b291ba10b7d0bd7a1b88d7e8c1a566b987154ef9a19287555039c19c38314df",
    "claude-code__critical_issue_hotfix_workflow": "504e76a22ac7241b3f7b85e699e45e73233fed428a86c7801f00c5264320b3b5",
    "claude-code__feature_commit_tracking": "8da624796506271c4fc236ee5f194589f5c97dd40fead17804b9fa2cd47383ff",
    "claude-code__label_color_standardization": "7e22a432007026d6d8fac4a20beb606843d71a5122f6026f0cca54d2bdf380d9",
    "company_in_a_box__employee_onboarding": "78071a03a82a76f63c391c006c9c349ea0cb2616877bc7f5f6678af7ed2dfa47",
    "company_in_a_box__goals_restructure": "cb3d9d9a2e36b7025160308f277e8a7367cacb33f62045f64e6db6ff36bbf35c",
    "company_in_a_box__quarterly_review_dashboard": "699e25d0d8cc1197a04a6c92f591c732a349ac8c26355209a437b1b7b3e367d8",
    "computer_science_student_dashboard__code_snippets_go": "8417bae9c03ae43efd85d20b84913f0d10beda8ff5b73b9ba0fc68e0633050d0",
    "computer_science_student_dashboard__courses_internships_relation": "e2eceb8392b96a7273b764a018dac0ba5ebd9727270e78e9bfe22cea57bfe02d",
    "computer_science_student_dashboard__study_session_tracker": "a7f33a36a2b1e5951a72beeb4c0e8b6c1476bbaf5ebcb7aba70a4963ae957ddf",
    "desktop__music_report": "35ffd0ac465ecd6f8f2dca719a620a4e5e59385471af5363969c8f853d3aaba2",
    "desktop__project_management": "0225d955344c491e3e873787e59ff11a5f6801490fbdd6f296def3df9743c77d",
    "desktop__timeline_extraction": "8b945c73250fc37179b6ed58c44746ed58e0cc5f94c8ec3520c205711be7167b",
    "desktop_template__budget_computation": "df60e6895f694b77e99a01517cd8a0c55d70573fe56ca70d8a1b29cb1a241fc9",
    "desktop_template__contact_information": "251ac3573cecb23287321f8b34d9f672e599b11a20ba0f4cef59d310b7023b1d",
    "desktop_template__file_arrangement": "838b69022a04f67041028221c95092137961736e8471ef54042d1a9ba49a5edc",
    "dvdrental__customer_analysis_fix": "e6539b981a1fbba9b267d0ba67fb04f06059acffea6e8128dd1d81d8b2f54b2d",
    "dvdrental__customer_analytics_optimization": "9a8be4d09186a31fd8dfbe5e113dcaf87528213d1b71f7993397a0dfc8657e5e",
    "dvdrental__film_inventory_management": "046b5752a16cc198363886071f8d36ace02641407aa7925ef42dff156df9d254",
    "easyr1__advanced_branch_strategy": "de79102814760262bc745c589c51660d99f78b56185f46e4de607bf7ac0e9118",
    "easyr1__config_parameter_audit": "767f7018ac01c1cb7e1a11579b1927a6aa03ec1fee2c400bfea7ca4c5af273e5",
    "easyr1__performance_regression_investigation": "cedc9b1dce0cda470393ee6fceb4532fef2baea75b3c9dd51996cb265f9301fe",
    "easyr1__qwen3_issue_management": "f5b14609f2822df68927a4e56422fa60b933b72a8e739b68a713c54fd5c92802",
    "employees__employee_demographics_report": "8a0cd34634a949704f32c7479711e5afc6e6e38d4e2f42b3a045e527d0ed4738",
    "employees__employee_performance_analysis": "e927c853a214c1977906e9c0beaa437070eeba49b62114cb399ed21eccf32502",
    "employees__employee_project_tracking": "342fdc1557d58fd5853317a7e33566a815ba6b7fe9400e078e97f2dc1cfd1789",
    "employees__employee_retention_analysis": "f2b75fcbbc2055881d05995438cfef3026a45a12da8fad24e99ff49f41f48e8e",
    "employees__executive_dashboard_automation": "7d592fb95bae482e8240beafc0fd7426552f2142987b5c75c0a3508852d9811f",
    "employees__management_structure_analysis": "d87b34200db38bd9d2c0fe6ec4629e381beeb2626c682b11ff8adf38cfb1e205",
    "eval_web__cloudflare_turnstile_challenge": "7246d69a51b70d294a9b72f4e155a48dd6bba33bc4ed089d3a392facc6d475ea",
    "eval_web__extraction_table": "ec237b16dc4a5814806db18324aee86934a3dd7a97711dd7d7a22adbdd504ed6",
    "file_context__duplicates_searching": "83319a99ed9387826e000c6fe89c53d6bf7b02f00f9d47686fff5f823e276ec0",
    "file_context__file_merging": "e89110970ad0d6a84999362b374a12a6e0e7421e9d0ea3add98c07b3efd548eb",
    "file_context__file_splitting": "2cd2590b5d22c8d3b033e7fbbeaacc691be74ba055d353b550dcc1ed24750183",
    "file_context__pattern_matching": "b8a41b0fbb292c514fd39f11fb7eb5cff24ff04b0c00cff398485f9b0683a491",
    "file_context__uppercase": "bb73f44a575b4bfbe861916c6bd576ad841287170182e8e342e707ecd6e95bf3",
    "file_property__size_classification": "93509eeda57112f1f4da8d19d258eb741e0860204f72faf998a2fe838d6bf2b9",
    "file_property__time_classification": "dce205a777a4119f09c11e1efc1029cac1bfc58391585a3f008d02f8165b3193",
    "folder_structure__structure_analysis": "cfbe78d9379038473bad69fea721f8f80467c8f66867e9a60f7e035ac44ee700",
    "folder_structure__structure_mirror": "53af22c5ab562a5bf57c04fbdf28b4a100902aa48abfcb73228b0e64e41ded91",
    "harmony__fix_conflict": "0241972f028d0ca812ee74069f56190e6c7a6d3cd01d10cf16c9ccb934954c4a",
    "harmony__issue_pr_commit_workflow": "800d36071fb62abe38cb36937ead3026c4f88f3f39030011fcbf9181f82208ab",
    "harmony__issue_tagging_pr_closure": "d2c31088632d92053ab267b20c8ca33ac6c1320b2d6992b23f856b5bf9acb181",
    "harmony__multi_branch_commit_aggregation": "d3edae0342a31942d1d9cafadf2e61f9b2f0179d6c4d1d7224f542ad2d8188a8",
    "harmony__release_management_workflow": "a91fff2f0e8df43a43bcc192232a847b9228a238d802904af037fc09f841b67b",
    "it_trouble_shooting_hub__asset_retirement_migration": "70c2f06698409b92286fb3012dcd9bea6649755ad4e9425f3df9b2e9945aba1a",
    "it_trouble_shooting_hub__security_audit_ticket": "3219e80d6348c933de49ef1419979f3fc9cf61ba90f680b694e88ecd012fad13",
    "it_trouble_shooting_hub__verification_expired_update": "6656f074baadbe11d203c2cc3a80fceeb55f615e6f7f9e7f1d0f62106242daa6",
    "japan_travel_planner__daily_itinerary_overview": "fa9fa41c2be4ce1262f488c269ecedbf0edbc3de341bf99bb08dd2e66168af01",
    "japan_travel_planner__packing_progress_summary": "5bd15975fc71928c77d184446344c8950181ff0f247e870e02385744cf0bb400",
    "japan_travel_planner__remove_osaka_itinerary": "8a0316f2cba16c3fb73c4c938d7b5fe7d70916afb27fb1b9e3700adaa8d0a813",
    "japan_travel_planner__restaurant_expenses_sync": "2986a913c97fe69cd8b901419a30934852083be7e68966d36793f28bceda67e3",
    "legal_document__dispute_review": "cca6a68316bd20a6605ae640614641851db30c5d5058689f2dbec8f79f7e250f",
    "legal_document__individual_comments": "a571bb6b8146776641d07b98043c90148e5ee2568392387121bf47607c7949bd",
    "legal_document__solution_tracing": "43022f119dd3c8b5495504d5b22e319bb01d8e66d52bf4b020bd788ca5095133",
    "lego__consistency_enforcement": "4b5fbf41f909d590101aec04fb5b226120db2f9f7c28e1faa468a5f1c44df990",
    "lego__database_security_policies": "6befe60ce0132e6fa047b4416a7a7dc3e0bdac722d1585b07da7051ac8a8ed1d",
    "lego__transactional_inventory_transfer": "cdcbf74555e3097adcedcde502b8594042d20e6eafccd7329e3dc3df41486090",
    "mcpmark-cicd__deployment_status_workflow": "f84325b1e6aad3a5f9a6ef638e3b99258b491ec1b571e550a54613a63113f719",
    "mcpmark-cicd__issue_management_workflow": "5a2c67bbb95096455237e916b2fd72c7601099d9c849f39a372667d4ac8a7285",
    "mcpmark-cicd__linting_ci_workflow": "85f2002cbcb6d8fd9dd693bcd4cf526eae6b7f221c178b938abc5405f45c44f7",
    "mcpmark-cicd__pr_automation_workflow": "bade4ac4125bb4290ff8136dd84525a3d4f27a0dc85131eac602490ebc9dc86e",
    "missing-semester__assign_contributor_labels": "057edeba79e02accddcde98124f2b24ec68720cc2ed5608c45259ecd081aa8cf",
    "missing-semester__find_legacy_name": "c95c8e3a431d6db8ceb33c02ecc1e6a0628f1fb026fdf76b6fa45a051402b2fc",
    "missing-semester__find_salient_file": "5e9877499a738dd039970e00c808e51f1350b132e235b5217701f1ab1f46f10f",
    "online_resume__layout_adjustment": "4a1ecf0121d3457b55caae0f7a2ced6377c6be5426666ec942684b791c77fdab",
    "online_resume__projects_section_update": "e72521ca673e61bdb61a4731763a844dd99cb21af1fb02d69eff90e493030807",
    "online_resume__skills_development_tracker": "5a94c302597e5c1b8a1e21fbf13788a21abed5a62113a6f73cbc7e6d310a7b16",
    "online_resume__work_history_addition": "5513c561a9776d761c8a47865408b3d6598c93fbcf1c80fd72696357b2178395",
    "papers__author_folders": "fd86407e03e08dc679e04020259b8fc8d370c403ca5081b032274ee9290bf712",
    "papers__find_math_paper": "ca8db3461e2382e70c645801082b63228d1d4fef52fcdb0559423ee8e88e5a48",
    "papers__organize_legacy_papers": "f99502edc2b5138b01b0aeb0bcdf0180bcb2dabff1000fabadb3523f8dcc541d",
    "python_roadmap__expert_level_lessons": "5c0bbaf431ac8bfa14df95a8391b823e16dcd8fe347dabbc036264bb4157f195",
    "python_roadmap__learning_metrics_dashboard": "61a674da401d683eb0b9c963d59c769e46fb0d26391d6c8abd90c29177184476",
    "reddit__ai_data_analyst": "b8d8e9812463bdf45abd239e2bf5c9663ddaeadbeed749714c6fd7142eff8d0e",
    "reddit__budget_europe_travel": "e882fe6e3a4254646e2f0bd4112b0ccde95b29dc49738b84f66232124546b942",
    "reddit__buyitforlife_research": "edfc90a9b6328b4b5da6470c2bddb3d37a812d53407e356907e8733888a64c6f",
    "reddit__llm_research_summary": "a468d786128726d3e5d89e3174f17dc0f55b81f740e890f733e831b3b20e2c67",
    "reddit__movie_reviewer_analysis": "58673b5bdd7ab5836e5630a94da569169c58748e299d5ef7e840f4b12f7ce60d",
    "reddit__nba_statistics_analysis": "20c406789b0bf25ac94ca38129672f8db6af04451f7f6a794e4a848092f012c7",
    "reddit__routine_tracker_forum": "3dc12439a5fa09f6fd3e9e9d9029f04e9b3f27ebd58f25bbe4458a4ebcce4e14",
    "security__rls_business_access": "2f14cdc2b6e53fb2585e0908b9e95d603ad5354b0eef4fb8d6a4e8ba2eaa45c5",
    "security__user_permission_audit": "c85d6bd15409f3ad62702cda16e26a603e8615a1ffb050429f776032b16a3c7c",
    "self_assessment__faq_column_layout": "00d6b061d5b67c90e334d38b0b9288f8426ec4e3ef40daad03b98a74b91f6148",
    "self_assessment__hyperfocus_analysis_report": "32b0f3855d0e07f185753aaf6304520df5d9bc3c6c3fba169f7a1500768a60f4",
    "self_assessment__numbered_list_emojis": "157efa1284565f4a8aca455733ed7aadf55b97d78e4e9c6e74f59fc29f2f95f0",
    "shopping__advanced_product_analysis": "a333cbc341c84d566d1404246c0f58605e36974337a5838fc84bb51134a8054a",
    "shopping__gaming_accessories_analysis": "431d5cc838360d63c4605a189eb6d722f0b62a73178d665173745591612d427a",
    "shopping__health_routine_optimization": "9bf079a4b8981361fef0d31b0730c86a77b1487f97019102e7bc0914743c3deb",
    "shopping__holiday_baking_competition": "d5b85b67000c0ac8abe2716e3340c6457bba2d9f3cca1343dcb1d2a6210bb3fb",
    "shopping__multi_category_budget_analysis": "66ebd49d5ee800aa2db586dd91f46f1fe82615e76c6edd7f188db75531736da3",
    "shopping__printer_keyboard_search": "8d60ebee0589859e5986b0702cc34ad0febf297f598cd3cae5198f0d1f208f2f",
    "shopping__running_shoes_purchase": "80992da44dcbf2919f432c2ffd145753eca763a64824132a5fff99969ab002a1",
    "shopping_admin__customer_segmentation_setup": "5b8ef624a3e779b983ba17928d41e2efcf532009c315b79b21049b83a5b12ba4",
    "shopping_admin__fitness_promotion_strategy": "1edcd6013ccc6befa5303920061570df8239a18c13fa90811c805f16e4a8e69d",
    "shopping_admin__marketing_customer_analysis": "f6618a12f0f3ce9db44349b0e7561b1c96ceb593c2779b86afdbb3a3baa4cbf9",
    "shopping_admin__ny_expansion_analysis": "72aef2ad37434f2628da1462d4f9e7aaeff90bc25bfdee8a367a87bfe35363d8",
    "shopping_admin__products_sales_analysis": "c120a5f8e5cfd465b34a3cdeb52406d3c3a71338bd456ae974c2b12e8c56df28",
    "shopping_admin__sales_inventory_analysis": "567fdfc4b74206d4ee28fc5c4d61d35746791fbb4fd8bd1e1b57f57f025c95bb",
    "shopping_admin__search_filtering_operations": "b3d702ad91237d389bb9dad33ad2f3a55f9cbef9d5a19d212fb0c65517b2b62c",
    "sports__baseball_player_analysis": "a98050aac3dbf73d54de0b61382a6c44c04fa2b2a5661f7e8d0d06baf83aaaf3",
    "sports__participant_report_optimization": "1d5a9fb92f412f43e9128e0fae03cc533f39e7c03feeade8e8bd91b2ed89eae7",
    "sports__team_roster_management": "847c42d7ea9fcbba54c33aab26788e00b40a71d8137f89ed728604498f695797",
    "standard_operating_procedure__deployment_process_sop": "c14038e947122dadd228128d9cdb92d2bc691e76ff76be3ecdef58aebf51518b",
    "standard_operating_procedure__section_organization": "11f90111c503a1741daae9a9a9162c7071a698dea5edbe8760f5ca2fc8d0da1d",
    "student_database__duplicate_name": "54ff90d2ea9172f85a2dfac75d07754e1f16db76c43d8cc6cc8b4a256c02c6c4",
    "student_database__english_talent": "3cda8d6ebee5f2eda07903b4dcec129a59b7b821ac4b1cc67f9230dd3fe890e9",
    "student_database__gradebased_score": "a35e5196b916fac7b920afb5ad5b38f98d9bb8c0832eb5b6b3cb9b1a9ac28558",
    "team_projects__priority_tasks_table": "8cda9ebfa2518f6e07c1a67eadf6549122865db2a11a3bf99f09af103c34d25a",
    "team_projects__swap_tasks": "e3effc6934fb854b6b56404e868ff4b391c7c289ff27e7f32bfa2c67731f28c7",
    "threestudio__code_locating": "ee159f5818aedd368573180fea8affbc8fe2cd194ee1e8a2cd1dc5d5b201a4a5",
    "threestudio__output_analysis": "3890929e873c8ae8e1d95b6e025be302af685b0a1db38ddff20e7e0e2916d306",
    "threestudio__requirements_completion": "c54c195edaa6e1cd6750306ce4c2ce5d44266e1634a0f87030867976c57f3783",
    "toronto_guide__change_color": "88b1f3b43d55932e3d8a43517af3f2648a22ffe3f89cffc4138a942eaaff3e14",
    "toronto_guide__weekend_adventure_planner": "c8e05764644e339a528304a181dfb1497c38365c4fa78695bd889689c791f8ed",
    "vectors__dba_vector_analysis": "4f7f4e8d0947ae6d03f4a390724035c8057869ea53e9b0f2470b7dbc9fde981f",
    "votenet__dataset_comparison": "cef1df19aacc26efd6ad82b45d4d3b4af73fcdaab2a9346fe068d6efe6763ddd",
    "votenet__debugging": "ac66ce833fefd598c94070fb6df0d4fc0fc7c13596ebb797039d532efc9bd06d",
    "votenet__requirements_writing": "b10904ab046286430dd0cdd4a5c731c806f9d9301d823a6bf73d89bf8e8e4641",
    "web_search__birth_of_arvinxu": "8879ba7ad92907b962ce4751b9c0233c2a9af7ae21c19888f1e552e2d61c0749",
    "web_search__r1_arxiv": "38ef57368238958bb633a49c618cf9f19f12ee443d4fe7f8839dbf13e7ff0887",
}
_ENTRIES += [(f"mcpmark/task_results/{t}", "eval-sys/mcpmark-experiments", f"task_results/{t}.json", h)
             for t, h in _MCPMARK_TASKS.items()]
_ENTRIES += [
    ("mcpmark/summary", "eval-sys/mcpmark-experiments", "summary.json", "de8bfd6b9bbc9ff045f941378af30db8043fd742b578258766bccf5dea8423f8"),
    ("mcpmark/task_meta", "eval-sys/mcpmark-experiments", "task_meta.json", "388d408b3c3ae0fff9b64f5bdb8a28da82b25d33edb60c82c1fe963de4fb27d6"),
    ("mcpmark/readme", "eval-sys/mcpmark-experiments", "README.md", "1602194c4dc53755d4ecd0807e0b7ffa4995e61d47f4f7b1ce8f605e937e23d3"),
    # Codex rollouts: ``codex_localpush/sessions/<file stem>`` (6), the fixture's README and manifest, and the
    # Cargo.toml whose license field (MIT) is the repository's license statement
    ("codex_localpush/sessions/rollout-2026-02-23T12-40-23-019c8a4c-ed82-79a1-aa28-7738fc5ab61a", "madshn/localpush", "src-tauri/tests/fixtures/codex/2026-02-23/raw/sessions/rollout-2026-02-23T12-40-23-019c8a4c-ed82-79a1-aa28-7738fc5ab61a.jsonl", "2a78d2c2bfa815123f8be9815c58abe4b718b0b56ab60bc1265a8f694ab76662"),
    ("codex_localpush/sessions/rollout-2026-02-23T12-41-04-019c8a4d-8f45-7010-8b5d-7fad920aa6f9", "madshn/localpush", "src-tauri/tests/fixtures/codex/2026-02-23/raw/sessions/rollout-2026-02-23T12-41-04-019c8a4d-8f45-7010-8b5d-7fad920aa6f9.jsonl", "373acbc9d9961dcc084d49541d947ad143dddf08fe309cb2a665e0a7e1c83b18"),
    ("codex_localpush/sessions/rollout-2026-02-23T12-47-42-019c8a53-a0dd-7130-bcd7-95445d84846a", "madshn/localpush", "src-tauri/tests/fixtures/codex/2026-02-23/raw/sessions/rollout-2026-02-23T12-47-42-019c8a53-a0dd-7130-bcd7-95445d84846a.jsonl", "3be3069c4d074cb62ea5e101fbc3e9102ad1341e592a7416e207a85ed91a7f1d"),
    ("codex_localpush/sessions/rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9", "madshn/localpush", "src-tauri/tests/fixtures/codex/2026-02-23/raw/sessions/rollout-2026-02-23T12-54-34-019c8a59-e9dd-71f0-9ae3-4079fe9726a9.jsonl", "ab30a4bb68e5a30c26c1ff5e298da523f5c77b067ea6af261d51a7f0d3628855"),
    ("codex_localpush/sessions/rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322", "madshn/localpush", "src-tauri/tests/fixtures/codex/2026-02-23/raw/sessions/rollout-2026-02-23T13-19-38-019c8a70-dda7-7f33-98ea-f30553347322.jsonl", "24a6e3962206a37a8bfc61e14f9c38a73605b0623ccf812522b96bc7024ecbd4"),
    ("codex_localpush/sessions/rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff", "madshn/localpush", "src-tauri/tests/fixtures/codex/2026-02-23/raw/sessions/rollout-2026-02-23T20-34-25-019c8bfe-ec25-79e0-97d7-bda6a9c575ff.jsonl", "0ebca88fa2362da7ae1b4f69e24655a99ce1c56a7b985ea97f672d6838cae668"),
    ("codex_localpush/fixture_readme", "madshn/localpush", "src-tauri/tests/fixtures/codex/2026-02-23/README.md", "b37823aa6cbcf417b158954bf351d947273ac033e3d4b2d5b7836332301bbe58"),
    ("codex_localpush/manifest", "madshn/localpush", "src-tauri/tests/fixtures/codex/2026-02-23/manifest.json", "8f901362d7a8c5371b0c23ec8820acfb741473a0ed7d4b95f4df8da5d1efa8f2"),
    ("codex_localpush/cargo_toml", "madshn/localpush", "src-tauri/Cargo.toml", "f04c20a63f1ff6d8dde86f47613b9bbb682646f8ab26af6a58557a7dffd4a82b"),
    ("browsecomp_plus/bm25_single_gpt_4.1", "Agent-Evaluation/BrowseComp-Plus", "runs/bm25/single_gpt_4.1/eval_summary.json", "4adf759d1ffd8cc8ed494cb1d7bfe031cb7c7f3175110e117856dba446e7b673"),
]

REGISTRY: dict[str, DataFile] = {n: DataFile(n, REPOS[r], p, h) for n, r, p, h in _ENTRIES}


def entry(name: str) -> DataFile:
    try:
        return REGISTRY[name]
    except KeyError:
        raise KeyError(f"no registered data file named {name!r}; known: {sorted(REGISTRY)}") from None


def names(prefix: str = "") -> list[str]:
    return sorted(n for n in REGISTRY if n.startswith(prefix))
